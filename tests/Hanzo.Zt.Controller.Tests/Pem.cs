using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>Keys, CSRs and client certificates for tests.</summary>
internal static class Pem
{
    public static (ECDsa Key, string Csr) EcCsr(string subject = "")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>A certificate with its private key, usable by HttpClientHandler.ClientCertificates.</summary>
    public static X509Certificate2 WithKey(string certificatePem, ECDsa key)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
