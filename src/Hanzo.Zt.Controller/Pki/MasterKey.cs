using System.Security.Cryptography;
using System.Text;

namespace Hanzo.Zt.Controller.Pki;

/// <summary>
/// The key that encrypts private keys at rest (AES-256-GCM). It comes from configuration
/// (<c>ZT_CONTROLLER_KEY</c>: base64 of 32 bytes, or any passphrase, stretched with PBKDF2-SHA256 and the data
/// directory's own random salt), else from <c>controller.key</c> in the data directory, created on first use
/// readable by the owner only (0600 from its creation).
/// </summary>
internal sealed class MasterKey
{
    public const string EnvironmentVariable = "ZT_CONTROLLER_KEY";
    public const string FileName = "controller.key";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    private MasterKey(byte[] key, string source)
    {
        _key = key;
        Source = source;
    }

    /// <summary>Where the key came from, for messages (never the key itself).</summary>
    public string Source { get; }

    /// <summary>PBKDF2-SHA256 iterations for passphrases (OWASP's figure for SHA-256).</summary>
    public const int PassphraseIterations = 600_000;

    /// <summary>Whether a configured key is a passphrase (to be stretched) rather than 32 bytes in base64.</summary>
    public static bool IsPassphrase(string? configured) => !string.IsNullOrEmpty(configured) && TryBase64Key(configured) is null;

    /// <summary>
    /// The key from <paramref name="configured"/> or the key file. A passphrase is stretched with PBKDF2 over
    /// <paramref name="salt"/>; a null salt means a store sealed before salts existed (SHA-256 of the passphrase).
    /// </summary>
    public static MasterKey Resolve(string? configured, string? dataDirectory, byte[]? salt)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            var source = $"{EnvironmentVariable} / ControllerOptions.MasterKey";
            if (TryBase64Key(configured) is { } raw) return new MasterKey(raw, source);
            return new MasterKey(salt is null
                ? SHA256.HashData(Encoding.UTF8.GetBytes(configured))
                : Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(configured), salt, PassphraseIterations, HashAlgorithmName.SHA256, 32), source);
        }
        ArgumentNullException.ThrowIfNull(dataDirectory);

        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path)) return new MasterKey(FromText(File.ReadAllText(path).Trim()), path);

        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, Encoding.ASCII, options)) writer.Write(Convert.ToBase64String(key));
        return new MasterKey(key, path);
    }

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    public byte[] Decrypt(ReadOnlySpan<byte> sealedData, string purpose)
    {
        if (sealedData.Length < NonceSize + TagSize) throw new CryptographicException("the sealed data is truncated");
        var plaintext = new byte[sealedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedData[..NonceSize], sealedData[(NonceSize + TagSize)..], sealedData.Slice(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }

    private static byte[] FromText(string text) => TryBase64Key(text) ?? SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static byte[]? TryBase64Key(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var n) && n == 32 ? buffer[..32] : null;
    }
}
