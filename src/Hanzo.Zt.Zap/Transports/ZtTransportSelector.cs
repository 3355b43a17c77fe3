using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Transport;

/// <summary>
/// Picks a transport by URI scheme from those registered with <c>AddTransport&lt;T&gt;()</c>. When two
/// transports claim a scheme, the one registered last wins, so applications can replace a default.
/// </summary>
public sealed class ZtTransportSelector : IZtTransportSelector
{
    private readonly Dictionary<string, IZtTransport> _bySchema = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a selector over the registered transports.</summary>
    public ZtTransportSelector(IEnumerable<IZtTransport> transports)
    {
        foreach (var transport in transports)
            foreach (var scheme in transport.Schemes)
                _bySchema[scheme] = transport;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Schemes => _bySchema.Keys;

    /// <inheritdoc />
    public IZtTransport Select(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
            throw new ZtConfigurationException($"endpoint '{endpoint}' is not an absolute URI such as tcp://host:port");
        if (_bySchema.TryGetValue(endpoint.Scheme, out var transport))
            return transport;

        var known = _bySchema.Count == 0 ? "none" : string.Join(", ", _bySchema.Keys.Order(StringComparer.Ordinal));
        throw new ZtConfigurationException(
            $"no transport is registered for scheme '{endpoint.Scheme}' (endpoint {endpoint}); registered schemes: {known}");
    }

    /// <inheritdoc />
    public ValueTask<ConnectionContext> ConnectAsync(Uri endpoint, CancellationToken cancellationToken = default) =>
        Select(endpoint).ConnectAsync(new UriEndPoint(endpoint), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(Uri endpoint, CancellationToken cancellationToken = default) =>
        Select(endpoint).BindAsync(new UriEndPoint(endpoint), cancellationToken);
}
