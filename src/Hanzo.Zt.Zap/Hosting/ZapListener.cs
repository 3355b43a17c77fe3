using System.Net;
using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanzo.Zt.Zap;

/// <summary>
/// Serves a bootstrap capability on an endpoint: every accepted connection gets its own RPC session whose
/// bootstrap is that capability.
/// </summary>
public sealed partial class ZapListener : IAsyncDisposable
{
    private readonly IConnectionListener _listener;
    private readonly ZapCapability _bootstrap;
    private readonly Func<ZapConnectionOptions> _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<ZapConnection> _connections = new();
    private readonly Task _accepting;
    private int _disposed;

    private ZapListener(IConnectionListener listener, ZapCapability bootstrap, Func<ZapConnectionOptions> options, ILogger logger)
    {
        _listener = listener;
        _bootstrap = bootstrap;
        _options = options;
        _logger = logger;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The address actually bound (with the real port when 0 was asked for).</summary>
    public EndPoint EndPoint => _listener.EndPoint;

    /// <summary>Raised when an accepted connection ends; <see cref="ZapConnection.CloseReason"/> says why.</summary>
    public event Action<ZapConnection>? ConnectionClosed;

    /// <summary>How many connections are open now.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>
    /// Binds <paramref name="endpoint"/> and starts accepting. The listener keeps its own reference to
    /// <paramref name="bootstrap"/>; <paramref name="options"/> is copied per connection with the bootstrap set.
    /// </summary>
    public static async Task<ZapListener> BindAsync(
        Uri endpoint,
        ZapCapability bootstrap,
        ZapConnectionOptions? options = null,
        IZtTransportSelector? transports = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(bootstrap);
        var template = options ?? new ZapConnectionOptions();
        template.Validate();
        var listener = await (transports ?? ZapTransports.Default).BindAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var own = bootstrap.Clone();
        return new ZapListener(listener, own, () => new ZapConnectionOptions
        {
            Framing = template.Framing,
            MaxMessageBytes = template.MaxMessageBytes,
            MaxPendingSendBytes = template.MaxPendingSendBytes,
            SendStallTimeout = template.SendStallTimeout,
            ReaderOptions = template.ReaderOptions,
            Bootstrap = own,
        }, logger ?? NullLogger.Instance);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConnectionContext? accepted;
            try
            {
                accepted = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e)
            {
                Log.AcceptFailed(_logger, e.Message);
                continue;
            }

            if (accepted is null)
            {
                break;
            }

            var connection = ZapConnection.Start(accepted.Transport, _options(), _logger, accepted);
            lock (_connections)
            {
                _connections.Add(connection);
            }

            _ = connection.Completion.ContinueWith(
                (_, state) =>
                {
                    var (listener, done) = ((ZapListener, ZapConnection))state!;
                    lock (listener._connections)
                    {
                        listener._connections.Remove(done);
                    }

                    listener.ConnectionClosed?.Invoke(done);
                },
                (this, connection),
                TaskScheduler.Default);
        }
    }

    /// <summary>Stops accepting and closes every open connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        await _listener.UnbindAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        ZapConnection[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        _bootstrap.Dispose();
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "ZAP listener could not accept a connection: {Reason}")]
        public static partial void AcceptFailed(ILogger logger, string reason);
    }
}
