using System.Net;
using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// Serves the implementation of <typeparamref name="T"/> registered with <c>AddZapService&lt;T, TImpl&gt;</c> on
/// its endpoint while the host runs.
/// </summary>
public sealed class ZapServiceHost<T> : IHostedService, IAsyncDisposable
    where T : class
{
    private readonly Uri _endpoint;
    private readonly Func<T> _implementation;
    private readonly IZtTransportSelector _transports;
    private readonly ZapConnectionOptions _options;
    private readonly ILogger _logger;
    private ZapListener? _listener;

    internal ZapServiceHost(Uri endpoint, Func<T> implementation, IZtTransportSelector transports, ZapConnectionOptions options, ILogger logger)
    {
        _endpoint = endpoint;
        _implementation = implementation;
        _transports = transports;
        _options = options;
        _logger = logger;
    }

    /// <summary>The address bound (with the real port when 0 was asked for); null before the host starts.</summary>
    public EndPoint? EndPoint => _listener?.EndPoint;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var bootstrap = ZapCapability.FromServer(ZapServiceRegistry.CreateServer(_implementation()));
        _listener = await ZapListener.BindAsync(_endpoint, bootstrap, _options, _transports, _logger, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <summary>Stops listening and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _listener, null) is { } listener)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
