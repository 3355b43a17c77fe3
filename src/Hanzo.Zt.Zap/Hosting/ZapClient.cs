using Hanzo.Zt.Transport;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Zap;

/// <summary>Opens RPC connections to endpoints given by URI.</summary>
public static class ZapClient
{
    /// <summary>
    /// Connects to <paramref name="endpoint"/> (<c>tcp://host:port</c>, <c>ws://host:port/path</c>, or any scheme
    /// <paramref name="transports"/> handles) and starts an RPC session; call <see cref="ZapConnection.Bootstrap"/>
    /// for the server's main capability.
    /// </summary>
    /// <exception cref="ZtConnectionException">The endpoint cannot be reached.</exception>
    /// <exception cref="ZtConfigurationException">No transport handles the endpoint's scheme.</exception>
    public static async Task<ZapConnection> ConnectAsync(
        Uri endpoint,
        ZapConnectionOptions? options = null,
        IZtTransportSelector? transports = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var connection = await (transports ?? ZapTransports.Default).ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return ZapConnection.Start(connection.Transport, options, logger, connection);
    }
}
