using System.Security.Cryptography;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>What a stream carried, to its end: how many bytes and their SHA-256, for checking a transfer by hash.</summary>
internal static class StreamDigest
{
    public static async Task<(long Count, string Digest)> ReadToEndAsync(Stream stream, int bufferSize = 256 * 1024)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[bufferSize];
        long count = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            count += n;
        }

        return (count, Convert.ToHexString(hash.GetHashAndReset()));
    }
}
