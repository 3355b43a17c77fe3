using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Identity;

/// <summary>
/// An x509 identity issued by the controller: the client certificate with its private key, and the
/// controller's CA certificates that every peer certificate must chain to.
/// </summary>
/// <param name="Name">A display name for messages (identity name or file path).</param>
/// <param name="Certificate">The identity's certificate; it must carry its private key.</param>
/// <param name="CertificateAuthorities">The controller CA bundle used to validate peers.</param>
/// <param name="ControllerUrl">The controller the identity belongs to (<c>ztAPI</c>), when known.</param>
public sealed record ZtIdentity(
    string Name,
    X509Certificate2 Certificate,
    X509Certificate2Collection CertificateAuthorities,
    Uri? ControllerUrl = null)
{
    /// <summary>
    /// Every controller of the identity's cluster (<c>ztAPIs</c>), in the order to try them; clients move to the next
    /// when one fails. Defaults to <see cref="ControllerUrl"/> alone.
    /// </summary>
    public IReadOnlyList<Uri> ControllerUrls { get; init; } = ControllerUrl is null ? [] : [ControllerUrl];
}
