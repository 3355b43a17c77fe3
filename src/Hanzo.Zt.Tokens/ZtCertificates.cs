using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Tokens;

/// <summary>Checks of controller-issued certificates: against the controller's CA alone, never the system roots.</summary>
public static class ZtCertificates
{
    // Chain building costs about a millisecond; a certificate that chained once chains again until it expires,
    // so successes are remembered (by the certificate's and the CA's SHA-256) and only the dates re-checked.
    private static readonly ConcurrentDictionary<(string Ca, string Certificate), bool> Verified = new();
    private const int MaxVerified = 4096;

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> and is within its validity period now.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ca);
        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter || now > ca.NotAfter)
        {
            return false;
        }

        var key = (ca.GetCertHashString(HashAlgorithmName.SHA256), certificate.GetCertHashString(HashAlgorithmName.SHA256));
        if (Verified.ContainsKey(key))
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        if (!chain.Build(certificate))
        {
            return false;
        }

        if (Verified.Count >= MaxVerified)
        {
            Verified.Clear();
        }

        Verified[key] = true;
        return true;
    }

    /// <summary>The id a controller-issued certificate names: its subject CN (the identity or router id).</summary>
    public static string IdOf(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>The serial number as the controller's revocations name it: lower-case hex.</summary>
    public static string SerialOf(X509Certificate2 certificate) => certificate.SerialNumber.ToLowerInvariant();
}
