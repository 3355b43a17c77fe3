using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// The connection behind a typed ZAP client registered with <c>AddZapClient&lt;T&gt;</c>: opened when the host
/// starts (or on <see cref="ConnectAsync"/>), closed when it stops.
/// </summary>
public sealed class ZapClientConnection<T> : IHostedService, IAsyncDisposable
    where T : class
{
    private readonly Uri _endpoint;
    private readonly IZtTransportSelector _transports;
    private readonly ZapConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ZapConnection? _connection;
    private T? _client;

    internal ZapClientConnection(Uri endpoint, IZtTransportSelector transports, ZapConnectionOptions options, ILogger logger)
    {
        _endpoint = endpoint;
        _transports = transports;
        _options = options;
        _logger = logger;
    }

    /// <summary>The typed client.</summary>
    /// <exception cref="ZtConfigurationException">The connection is not open yet: start the host, or await <see cref="ConnectAsync"/>.</exception>
    public T Client => _client ?? throw new ZtConfigurationException(
        $"the ZAP client {typeof(T).Name} for {_endpoint} is not connected yet: start the host (or await ZapClientConnection<{typeof(T).Name}>.ConnectAsync) before resolving it");

    /// <summary>Opens the connection (once) and returns the typed client of its bootstrap capability.</summary>
    /// <exception cref="ZtConnectionException">The endpoint cannot be reached.</exception>
    public async Task<T> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is null)
            {
                _connection = await ZapClient.ConnectAsync(_endpoint, _options, _transports, _logger, cancellationToken).ConfigureAwait(false);
                _client = ZapServiceRegistry.CreateClient<T>(_connection.Bootstrap());
            }

            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => ConnectAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <summary>Releases the client and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        (Interlocked.Exchange(ref _client, null) as IDisposable)?.Dispose();
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
