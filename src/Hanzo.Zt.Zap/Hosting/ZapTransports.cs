using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap.Transports;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Zap;

/// <summary>
/// The transports ZAP knows without dependency injection: <c>tcp://</c> and <c>ws://</c>. Others (such as
/// <c>zt://</c>) come from an <see cref="IZtTransportSelector"/> passed to <see cref="ZapClient"/> and <see cref="ZapListener"/>.
/// </summary>
public sealed class ZapTransports : IZtTransportSelector
{
    private readonly Dictionary<string, IZtTransport> _bySchema = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a selector over <paramref name="transports"/> (later ones win a shared scheme).</summary>
    public ZapTransports(IEnumerable<IZtTransport> transports)
    {
        foreach (var transport in transports)
        {
            foreach (var scheme in transport.Schemes)
            {
                _bySchema[scheme] = transport;
            }
        }
    }

    /// <summary>tcp and ws.</summary>
    public static ZapTransports Default { get; } = new([new TcpTransport(), new WebSocketTransport()]);

    /// <inheritdoc />
    public IReadOnlyCollection<string> Schemes => _bySchema.Keys;

    /// <inheritdoc />
    public IZtTransport Select(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.IsAbsoluteUri && _bySchema.TryGetValue(endpoint.Scheme, out var transport))
        {
            return transport;
        }

        throw new ZtConfigurationException(
            $"no transport handles '{endpoint}'; known schemes: {string.Join(", ", _bySchema.Keys.Order(StringComparer.Ordinal))}");
    }

    /// <inheritdoc />
    public ValueTask<ConnectionContext> ConnectAsync(Uri endpoint, CancellationToken cancellationToken = default) =>
        Select(endpoint).ConnectAsync(new UriEndPoint(endpoint), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(Uri endpoint, CancellationToken cancellationToken = default) =>
        Select(endpoint).BindAsync(new UriEndPoint(endpoint), cancellationToken);
}
