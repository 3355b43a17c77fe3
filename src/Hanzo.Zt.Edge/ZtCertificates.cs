using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Edge;

/// <summary>Checks of controller-issued certificates: against the controller's CA alone, never the system roots.</summary>
public static class ZtCertificates
{
    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> and is within its validity period now.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ca);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        return chain.Build(certificate);
    }

    /// <summary>The id a controller-issued certificate names: its subject CN (the identity or router id).</summary>
    public static string IdOf(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>The serial number as the controller's revocations name it: lower-case hex.</summary>
    public static string SerialOf(X509Certificate2 certificate) => certificate.SerialNumber.ToLowerInvariant();
}
