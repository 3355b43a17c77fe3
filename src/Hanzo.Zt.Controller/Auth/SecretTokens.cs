using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>Random bearer tokens and the hashes they are stored and looked up by.</summary>
internal static class SecretTokens
{
    /// <summary>A new random token (256 bits, base64url).</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new random id (96 bits, base64url; URL safe, no padding).</summary>
    public static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    /// <summary>SHA-256 of a token, lower-case hex: what the store keeps instead of the token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time comparison of two token hashes.</summary>
    public static bool HashEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
