using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Transport;

/// <summary>Finds the transport registered for an endpoint's URI scheme.</summary>
public interface IZtTransportSelector
{
    /// <summary>The schemes some registered transport handles.</summary>
    IReadOnlyCollection<string> Schemes { get; }

    /// <summary>Returns the transport for <paramref name="endpoint"/>'s scheme.</summary>
    /// <exception cref="ZtConfigurationException">No registered transport handles the scheme.</exception>
    IZtTransport Select(Uri endpoint);

    /// <summary>Dials <paramref name="endpoint"/> with the transport registered for its scheme.</summary>
    ValueTask<ConnectionContext> ConnectAsync(Uri endpoint, CancellationToken cancellationToken = default);

    /// <summary>Listens on <paramref name="endpoint"/> with the transport registered for its scheme.</summary>
    ValueTask<IConnectionListener> BindAsync(Uri endpoint, CancellationToken cancellationToken = default);
}
