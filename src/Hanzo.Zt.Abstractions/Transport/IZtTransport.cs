using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Transport;

/// <summary>
/// A transport: dials and listens on endpoints of the URI schemes it names (<c>tcp</c>, <c>ws</c>,
/// <c>zt</c>, ...), speaking Kestrel's connection abstractions so one transport serves ZAP, Kestrel and
/// <c>HttpClient</c> alike. Endpoints are passed as <see cref="UriEndPoint"/>.
/// </summary>
public interface IZtTransport : IConnectionFactory, IConnectionListenerFactory
{
    /// <summary>The URI schemes this transport handles, lower case, without <c>://</c>.</summary>
    IReadOnlyCollection<string> Schemes { get; }
}
