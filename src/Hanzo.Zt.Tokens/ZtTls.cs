using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Tokens;

/// <summary>
/// The one TLS policy of the fabric: every hop (SDK to controller, SDK to router, end to end between
/// dialer and host) presents a controller-issued certificate and accepts a peer only when its chain ends
/// at the controller's CA (never the system roots), checked by <see cref="ZtCertificates.ChainsTo"/>.
/// </summary>
public static class ZtTls
{
    // Building a certificate context walks the chain; one per certificate for the life of the certificate.
    private static readonly ConditionalWeakTable<X509Certificate2, SslStreamCertificateContext> Contexts = new();

    /// <summary>Links to routers accept TLS 1.2 and 1.3 (other SDKs may offer 1.2); end-to-end sessions are TLS 1.3 only.</summary>
    public const SslProtocols LinkProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The protocol of end-to-end sessions between a dialer and a host.</summary>
    public const SslProtocols EndToEndProtocols = SslProtocols.Tls13;

    /// <summary>The certificate context of <paramref name="certificate"/> with its CA chain, built once per certificate.</summary>
    public static SslStreamCertificateContext ContextOf(X509Certificate2 certificate, X509Certificate2Collection authorities) =>
        Contexts.GetValue(certificate, c => SslStreamCertificateContext.Create(c, authorities, offline: true));

    /// <summary>
    /// Client options: present <paramref name="certificate"/> (with <paramref name="authorities"/>, the controller's CA
    /// first); accept a server that chains to that CA and passes <paramref name="accept"/>.
    /// </summary>
    public static SslClientAuthenticationOptions Client(
        string targetHost, X509Certificate2 certificate, X509Certificate2Collection authorities, SslProtocols protocols,
        Func<X509Certificate2, bool>? accept = null)
    {
        var ca = authorities[0];
        return new()
        {
            TargetHost = targetHost,
            ClientCertificateContext = ContextOf(certificate, authorities),
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, c, _, _) => Accepts(c, ca, accept),
        };
    }

    /// <summary>
    /// Server options: present <paramref name="certificate"/> (with <paramref name="authorities"/>, the controller's CA
    /// first); require a client certificate that chains to that CA and passes <paramref name="accept"/>.
    /// </summary>
    public static SslServerAuthenticationOptions Server(
        X509Certificate2 certificate, X509Certificate2Collection authorities, SslProtocols protocols,
        Func<X509Certificate2, bool>? accept = null)
    {
        var ca = authorities[0];
        return new()
        {
            ServerCertificateContext = ContextOf(certificate, authorities),
            ClientCertificateRequired = true,
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, c, _, _) => Accepts(c, ca, accept),
        };
    }

    /// <summary>
    /// An HTTP handler for the controller's API: the server must chain to <paramref name="ca"/>; when
    /// <paramref name="clientCertificate"/> is given it is presented for certificate authentication.
    /// </summary>
    public static HttpClientHandler ControllerHandler(X509Certificate2 ca, X509Certificate2? clientCertificate = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && ZtCertificates.ChainsTo(c, ca),
        };
        if (clientCertificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(clientCertificate);
        }

        return handler;
    }

    private static bool Accepts(X509Certificate? presented, X509Certificate2 ca, Func<X509Certificate2, bool>? accept) =>
        presented is X509Certificate2 peer && ZtCertificates.ChainsTo(peer, ca) && (accept is null || accept(peer));
}
