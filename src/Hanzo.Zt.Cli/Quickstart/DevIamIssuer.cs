using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Cli.Quickstart;

/// <summary>
/// A DEVELOPMENT-ONLY token issuer standing in for Hanzo IAM on one machine: an ES256 key kept in the quickstart's
/// data directory that signs short-lived tokens for whatever subject it is asked. The controller trusts it as an
/// external JWT signer (by its certificate), so the IAM sign-in path runs end to end without an IAM server. Never
/// register it with a controller that serves anything real.
/// </summary>
internal sealed class DevIamIssuer : IDisposable
{
    public const string Issuer = "https://dev-iam.quickstart.zt.invalid";
    public const string Audience = "zt-quickstart";
    private const string KeyFile = "dev-iam.key.pem", CertFile = "dev-iam.cert.pem";
    private readonly ECDsa _key;

    private DevIamIssuer(ECDsa key, string certificatePem)
    {
        _key = key;
        CertificatePem = certificatePem;
    }

    /// <summary>The certificate the controller verifies tokens with.</summary>
    public string CertificatePem { get; }

    public static DevIamIssuer LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        string keyPath = Path.Combine(directory, KeyFile), certPath = Path.Combine(directory, CertFile);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(keyPath) && File.Exists(certPath))
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
            return new DevIamIssuer(key, File.ReadAllText(certPath));
        }

        var request = new CertificateRequest("CN=Hanzo ZT quickstart development IAM issuer (development only)", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        string pem = certificate.ExportCertificatePem();
        File.WriteAllText(certPath, pem);
        return new DevIamIssuer(key, pem);
    }

    /// <summary>A token for <paramref name="subject"/>, valid for ten minutes.</summary>
    public string IssueToken(string subject)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
        return CompactJws.Create(claims, _key, keyId: "quickstart-dev");
    }

    public void Dispose() => _key.Dispose();
}
