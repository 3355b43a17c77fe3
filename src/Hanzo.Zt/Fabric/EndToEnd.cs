using System.Buffers.Binary;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Tokens;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// The end-to-end TLS 1.3 handshake over a circuit. Both ends present their controller-issued certificates and
/// check the other's against the CA; the host then proves it is bound to the service by sending its Bind
/// session token, which the dialer checks against the controller's signing keys.
/// </summary>
internal static class EndToEnd
{
    // Building a certificate context builds the identity's chain: done once per identity, not once per circuit.
    public static async Task<SslStream> DialAsync(EdgeCircuit circuit, ZtIdentity identity, ZtService service, SessionTokenVerifier verifier, CancellationToken cancellationToken)
    {
        var tls = new SslStream(circuit, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsClientAsync(
                ZtTls.Client(service.Name, identity.Certificate, identity.CertificateAuthorities, ZtTls.EndToEndProtocols),
                cancellationToken).ConfigureAwait(false);

            string hostId = ZtCertificates.IdOf((X509Certificate2)tls.RemoteCertificate!);
            var length = new byte[2];
            await tls.ReadExactlyAsync(length, cancellationToken).ConfigureAwait(false);
            var token = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await tls.ReadExactlyAsync(token, cancellationToken).ConfigureAwait(false);
            if (!verifier.TryVerify(System.Text.Encoding.ASCII.GetString(token), out var claims) || claims is null
                || !claims.IsBind || claims.ServiceId != service.Id || claims.IdentityId != hostId)
            {
                throw new ZtAccessDeniedException($"the host '{hostId}' did not prove a bind of service '{service.Name}'");
            }

            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"the end-to-end TLS handshake with the host of '{service.Name}' failed: {e.Message}", e);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<SslStream> AcceptAsync(EdgeCircuit circuit, ZtIdentity identity, string expectedDialer, string bindToken, CancellationToken cancellationToken)
    {
        var tls = new SslStream(circuit, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsServerAsync(
                ZtTls.Server(identity.Certificate, identity.CertificateAuthorities, ZtTls.EndToEndProtocols, peer => ZtCertificates.IdOf(peer) == expectedDialer),
                cancellationToken).ConfigureAwait(false);

            var token = System.Text.Encoding.ASCII.GetBytes(bindToken);
            var frame = new byte[2 + token.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)token.Length);
            token.CopyTo(frame, 2);
            await tls.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await tls.FlushAsync(cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
