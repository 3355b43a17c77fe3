using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Controller.Pki;

/// <summary>
/// The controller's certificate authority (ECDSA P-256): issues the controller's TLS certificate, signs
/// identity and router CSRs, and validates client certificates against itself.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key, string trustDomain)
    {
        Certificate = certificate;
        _key = key;
        TrustDomain = trustDomain;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The trust domain of SPIFFE-style URIs in issued certificates.</summary>
    public string TrustDomain { get; }

    /// <summary>The CA certificate in PEM, as served at <c>/.well-known/est/cacerts</c>.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Creates a new self-signed CA valid for ten years.</summary>
    public static CertificateAuthority Create(string trustDomain, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Hanzo ZT Controller CA, O=Hanzo ZT, OU={trustDomain}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var withKey = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(withKey.RawData), key, trustDomain);
    }

    /// <summary>Rebuilds a CA from its certificate and private key (PKCS#8).</summary>
    public static CertificateAuthority Load(string certificatePem, ReadOnlySpan<byte> pkcs8PrivateKey, string trustDomain)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8PrivateKey, out _);
        return new CertificateAuthority(X509Certificate2.CreateFromPem(certificatePem), key, trustDomain);
    }

    /// <summary>The CA private key as PKCS#8, for sealed storage.</summary>
    public byte[] ExportPrivateKey() => _key.ExportPkcs8PrivateKey();

    /// <summary>Issues a TLS server certificate (with private key) for the given host names and addresses.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> hosts, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hanzo ZT Controller, O=Hanzo ZT", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(host);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        AddLeafExtensions(request);
        using var issued = Sign(request, now, lifetime);
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PKCS#12 round trip gives a certificate whose key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// Signs a PEM CSR for an identity (<paramref name="kind"/> <c>identity</c>) or router (<c>router</c>):
    /// subject CN = the id, SAN URI <c>spiffe://trust-domain/kind/id</c>, client authentication (routers also
    /// server authentication and their host name). The CSR's signature is checked; its key must be ECDSA
    /// P-256/P-384 or RSA of at least 2048 bits; its subject CN, when present, must be one of <paramref name="acceptedSubjects"/>.
    /// </summary>
    /// <exception cref="CsrValidationException">The CSR is refused; the message says why.</exception>
    public X509Certificate2 SignCsr(string csrPem, string kind, string id, IReadOnlyCollection<string> acceptedSubjects,
        DateTimeOffset now, TimeSpan lifetime, string? hostname = null)
    {
        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CsrValidationException("the CSR is not a PEM PKCS#10 request with a valid signature", e);
        }
        CheckKey(csr.PublicKey);
        var cn = csr.SubjectName.GetSubjectCommonName();
        if (!string.IsNullOrEmpty(cn) && !acceptedSubjects.Contains(cn))
            throw new CsrValidationException($"the CSR subject CN '{cn}' does not name this {kind} (expected '{string.Join("' or '", acceptedSubjects)}' or an empty subject)");

        var request = new CertificateRequest(new X500DistinguishedName($"CN={id}, O=Hanzo ZT"), csr.PublicKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri($"spiffe://{TrustDomain}/{kind}/{id}"));
        if (!string.IsNullOrEmpty(hostname))
        {
            if (IPAddress.TryParse(hostname, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(hostname);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(kind == "router" ? [ClientAuth, ServerAuth] : [ClientAuth], false));
        AddLeafExtensions(request);
        return Sign(request, now, lifetime);
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to this CA, is valid at <paramref name="now"/> and, when
    /// <paramref name="forClientAuthentication"/>, may authenticate a client.
    /// </summary>
    public bool Validates(X509Certificate2 certificate, DateTimeOffset now, bool forClientAuthentication = true)
    {
        using var chain = new X509Chain();
        if (forClientAuthentication) chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(Certificate.RawData);
    }

    /// <summary>The hex serial number of a certificate, in the form revocations use.</summary>
    public static string SerialOf(X509Certificate2 certificate) => certificate.SerialNumber.ToLowerInvariant();

    /// <summary>The SHA-256 fingerprint (hex) of a certificate.</summary>
    public static string FingerprintOf(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <inheritdoc />
    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset now, TimeSpan lifetime)
    {
        var notAfter = now + lifetime;
        if (notAfter > Certificate.NotAfter) notAfter = Certificate.NotAfter.ToUniversalTime();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        serial[0] |= 0x01; // positive, and never with a leading zero byte
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddMinutes(-5), notAfter, serial);
    }

    private void AddLeafExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
    }

    private static void CheckKey(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case "1.2.840.10045.2.1":
                using (var ec = key.GetECDsaPublicKey())
                {
                    if (ec is null || ec.KeySize is not (256 or 384))
                        throw new CsrValidationException("the CSR's EC key must be on P-256 or P-384");
                }
                break;
            case "1.2.840.113549.1.1.1":
                using (var rsa = key.GetRSAPublicKey())
                {
                    if (rsa is null || rsa.KeySize < 2048)
                        throw new CsrValidationException($"the CSR's RSA key has {rsa?.KeySize} bits; at least 2048 are required");
                }
                break;
            default:
                throw new CsrValidationException($"the CSR's key type ({key.Oid.FriendlyName ?? key.Oid.Value}) is not accepted; use ECDSA P-256/P-384 or RSA 2048+");
        }
    }
}

internal static class X500Extensions
{
    public static string? GetSubjectCommonName(this X500DistinguishedName name)
    {
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.GetSingleElementType().Value == "2.5.4.3") return rdn.GetSingleElementValue();
        }
        return null;
    }
}
