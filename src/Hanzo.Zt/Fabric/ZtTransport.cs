using System.IO.Pipelines;
using System.Net;
using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// The <c>zt://service</c> transport: dialing opens a <see cref="ZtConnection"/> to the service and binding
/// listens on it, through a <see cref="ZtContext"/>. Anything built on the transport abstractions (ZAP,
/// Kestrel) runs over the fabric this way.
/// </summary>
public sealed class ZtTransport : IZtTransport
{
    private readonly Func<ZtContext> _context;

    /// <summary>A transport over <paramref name="context"/>.</summary>
    public ZtTransport(ZtContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = () => context;
    }

    // The context is made on first use, so registering the transport costs nothing for hosts that never use zt://.
    internal ZtTransport(Func<ZtContext> context) => _context = context;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Schemes { get; } = ["zt"];

    /// <inheritdoc />
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var connection = await _context().DialAsync(ServiceOf(endpoint), cancellationToken).ConfigureAwait(false);
        return new ZtConnectionContext(connection, endpoint);
    }

    /// <inheritdoc />
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await _context().ListenAsync(ServiceOf(endpoint), cancellationToken).ConfigureAwait(false);
        return new Listener(listener, endpoint);
    }

    private static string ServiceOf(EndPoint endpoint) => endpoint switch
    {
        UriEndPoint { Uri: { Scheme: "zt" } uri } when !string.IsNullOrEmpty(uri.Host) => Uri.UnescapeDataString(uri.Host),
        _ => throw new ZtConfigurationException($"endpoint '{endpoint}' is not a zt://service-name address"),
    };

    private sealed class Listener(ZtListener listener, EndPoint endpoint) : IConnectionListener
    {
        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return new ZtConnectionContext(await listener.AcceptAsync(cancellationToken).ConfigureAwait(false), endpoint);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return null;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => listener.DisposeAsync();

        public ValueTask DisposeAsync() => listener.DisposeAsync();
    }

    private sealed class ZtConnectionContext : ConnectionContext
    {
        private readonly ZtConnection _connection;

        public ZtConnectionContext(ZtConnection connection, EndPoint endpoint)
        {
            _connection = connection;
            Transport = connection.Pipe;
            LocalEndPoint = endpoint;
            RemoteEndPoint = endpoint;
            ConnectionId = $"zt-{connection.Service}-{Guid.NewGuid():N}";
            Features.Set<IZtUsageFeature>(connection);
        }

        public override string ConnectionId { get; set; }

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; }

        public override void Abort(ConnectionAbortedException abortReason) => _ = _connection.DisposeAsync();

        public override ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
