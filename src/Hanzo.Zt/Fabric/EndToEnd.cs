using System.Buffers.Binary;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Tokens;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// The end-to-end TLS 1.3 handshake over a circuit. Both ends present their controller-issued certificates and
/// check the other's against the CA. Inside that TLS, where no router can read or replay it, the dialer first
/// proves it may dial the service by sending its Dial session token, which the host checks offline against the
/// controller's signing keys (a Dial token, for this service, of the identity whose certificate it presented, in
/// date); only then does the host prove its bind the same way with its Bind session token. A router, compromised
/// or deleted, can therefore splice nothing to a host that the controller did not grant.
/// </summary>
internal static class EndToEnd
{
    // Building a certificate context builds the identity's chain: done once per identity, not once per circuit.
    public static async Task<(SslStream Tls, byte[] PathKey)> DialAsync(Stream circuit, ZtIdentity identity, ZtService service, string dialToken, SessionTokenVerifier verifier, CancellationToken cancellationToken)
    {
        var tls = new SslStream(circuit, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsClientAsync(
                ZtTls.Client(service.Name, identity.Certificate, identity.CertificateAuthorities, ZtTls.EndToEndProtocols),
                cancellationToken).ConfigureAwait(false);

            string hostId = ZtCertificates.IdOf((X509Certificate2)tls.RemoteCertificate!);
            var dialerNonce = RandomNumberGenerator.GetBytes(NonceLength);
            await WriteTokenAsync(tls, dialToken, dialerNonce, cancellationToken).ConfigureAwait(false);
            string token;
            byte[] hostNonce;
            try
            {
                (token, hostNonce) = await ReadTokenAsync(tls, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException)
            {
                throw new ZtAccessDeniedException($"the host '{hostId}' of '{service.Name}' refused this identity's Dial session (or closed the connection)", e);
            }

            if (!verifier.TryVerify(token, out var claims) || claims is null
                || !claims.IsBind || claims.ServiceId != service.Id || claims.IdentityId != hostId)
            {
                throw new ZtAccessDeniedException($"the host '{hostId}' did not prove a bind of service '{service.Name}'");
            }

            return (tls, PathKey(dialerNonce, hostNonce));
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

    /// <summary>
    /// The host's side: accepts only the dialer the router named, and only with a Dial session token for
    /// <paramref name="serviceId"/> issued to that dialer's identity; then proves its own bind.
    /// </summary>
    /// <exception cref="ZtAccessDeniedException">The dialer holds no valid Dial session for the service.</exception>
    public static async Task<(SslStream Tls, byte[] PathKey)> AcceptAsync(Stream circuit, ZtIdentity identity, string expectedDialer, string bindToken,
        string serviceId, SessionTokenVerifier verifier, CancellationToken cancellationToken)
    {
        var tls = new SslStream(circuit, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsServerAsync(
                ZtTls.Server(identity.Certificate, identity.CertificateAuthorities, ZtTls.EndToEndProtocols, peer => ZtCertificates.IdOf(peer) == expectedDialer),
                cancellationToken).ConfigureAwait(false);

            string dialerId = ZtCertificates.IdOf((X509Certificate2)tls.RemoteCertificate!);
            var (dialToken, dialerNonce) = await ReadTokenAsync(tls, cancellationToken).ConfigureAwait(false);
            if (!verifier.TryVerify(dialToken, out var claims) || claims is null
                || !claims.IsDial || claims.ServiceId != serviceId || claims.IdentityId != dialerId)
            {
                throw new ZtAccessDeniedException($"the dialer '{dialerId}' holds no valid Dial session for this service");
            }

            var hostNonce = RandomNumberGenerator.GetBytes(NonceLength);
            await WriteTokenAsync(tls, bindToken, hostNonce, cancellationToken).ConfigureAwait(false);
            return (tls, PathKey(dialerNonce, hostNonce));
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Bytes of each side's contribution to the path key, sent after its session token.</summary>
    private const int NonceLength = 32;

    /// <summary>
    /// The key that authenticates a direct path's probes: made of both sides' nonces, which travelled only inside
    /// this TLS session, so no router knows it.
    /// </summary>
    private static byte[] PathKey(byte[] dialerNonce, byte[] hostNonce) =>
        SHA256.HashData([.. "hanzo-zt direct path v1"u8, .. dialerNonce, .. hostNonce]);

    private static async Task WriteTokenAsync(SslStream tls, string token, byte[] nonce, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(token);
        var frame = new byte[2 + bytes.Length + NonceLength];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)bytes.Length);
        bytes.CopyTo(frame, 2);
        nonce.CopyTo(frame, 2 + bytes.Length);
        await tls.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await tls.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(string Token, byte[] Nonce)> ReadTokenAsync(SslStream tls, CancellationToken cancellationToken)
    {
        var length = new byte[2];
        await tls.ReadExactlyAsync(length, cancellationToken).ConfigureAwait(false);
        var token = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        await tls.ReadExactlyAsync(token, cancellationToken).ConfigureAwait(false);
        var nonce = new byte[NonceLength];
        await tls.ReadExactlyAsync(nonce, cancellationToken).ConfigureAwait(false);
        return (System.Text.Encoding.ASCII.GetString(token), nonce);
    }
}
