using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// The certificate this process presents to routers and peers: an enrolled identity's, or one the controller
/// issues to the API session after a JWT sign-in, renewed once two thirds of its lifetime have passed (so a
/// renewal that fails has a third of the lifetime left to succeed in).
/// </summary>
internal abstract class FabricIdentity
{
    /// <summary>The identity now, when one has been got; null before a JWT sign-in.</summary>
    public abstract ZtIdentity? Current { get; }

    /// <summary>The identity to present now, getting or renewing its certificate when needed.</summary>
    public abstract ValueTask<ZtIdentity> GetAsync(CancellationToken cancellationToken);

    /// <summary>An enrolled identity (from an identity file or memory).</summary>
    public static FabricIdentity Enrolled(ZtIdentity identity) => new EnrolledIdentity(identity);

    /// <summary>Short-lived certificates issued by <paramref name="controller"/> after it signed this process in.</summary>
    public static FabricIdentity SignedIn(ControllerClient controller) => new SignedInIdentity(controller);

    private sealed class EnrolledIdentity(ZtIdentity identity) : FabricIdentity
    {
        public override ZtIdentity? Current => identity;

        public override ValueTask<ZtIdentity> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(identity);
    }

    private sealed class SignedInIdentity(ControllerClient controller) : FabricIdentity
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private volatile Issued? _issued;

        public override ZtIdentity? Current => _issued?.Identity;

        public override async ValueTask<ZtIdentity> GetAsync(CancellationToken cancellationToken)
        {
            if (_issued is { } fresh && DateTimeOffset.UtcNow < fresh.RenewAt)
            {
                return fresh.Identity;
            }

            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_issued is { } again && DateTimeOffset.UtcNow < again.RenewAt)
                {
                    return again.Identity;
                }

                try
                {
                    _issued = await IssueAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ZtException) when (_issued is { } old && DateTimeOffset.UtcNow < old.ExpiresAt)
                {
                    // The controller is away: the certificate in hand is still valid, and the next call tries again.
                    return old.Identity;
                }

                return _issued.Identity;
            }
            finally
            {
                _lock.Release();
            }
        }

        private async Task<Issued> IssueAsync(CancellationToken cancellationToken)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string csr = new CertificateRequest("", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
            var (certificatePem, caPem, expiresAt) = await controller.IssueCertificateAsync(csr, cancellationToken).ConfigureAwait(false);
            using var issued = X509Certificate2.CreateFromPem(certificatePem);
            using var withKey = issued.CopyWithPrivateKey(key);

            // Through PKCS#12 so the key is usable by TLS on every platform (an ephemeral key is not on all of them).
            var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(caPem);
            var name = controller.Identity?.Name ?? certificate.GetNameInfo(X509NameType.SimpleName, false);
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
            var renewAt = notBefore + ((expiresAt - notBefore) * 2 / 3);
            return new Issued(new ZtIdentity(name, certificate, authorities, controller.Url), renewAt, expiresAt);
        }

        private sealed record Issued(ZtIdentity Identity, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt);
    }
}
