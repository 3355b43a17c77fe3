using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap.Capabilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanzo.Zt.Zap;

/// <summary>
/// A long-lived route to a ZAP endpoint that behaves like an <c>HttpClient</c> or a gRPC channel: it connects on
/// the first call, and after the connection is lost (the peer, a router or the network went away) the next call
/// connects again. A call in flight when the connection drops fails with a <see cref="ZapException"/>
/// (<see cref="ZapExceptionType.Disconnected"/>); a call that cannot connect fails with the reason
/// (<see cref="ZtConnectionException"/>, <see cref="ZtInsufficientBalanceException"/>, …). Failed connection attempts
/// back off exponentially (from 100 ms to 5 s), and calls are cancelled by their <see cref="CancellationToken"/>.
/// </summary>
public sealed partial class ZapChannel : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(5);
    private readonly Uri _endpoint;
    private readonly ZapConnectionOptions _options;
    private readonly IZtTransportSelector _transports;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private Live? _live;
    private int _failures;
    private long _lastFailure;

    /// <summary>Creates a channel to <paramref name="endpoint"/>; nothing is connected until the first call.</summary>
    public ZapChannel(Uri endpoint, ZapConnectionOptions? options = null, IZtTransportSelector? transports = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint;
        _options = options ?? new ZapConnectionOptions();
        _options.Validate();
        _transports = transports ?? ZapTransports.Default;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The endpoint this channel calls.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Time allowed for one connection attempt (default 30 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a connection is open now.</summary>
    public bool IsConnected => Volatile.Read(ref _live) is { Connection.IsOpen: true };

    /// <summary>The peer's bootstrap capability through this channel: it survives reconnections.</summary>
    public ZapCapability Bootstrap() => new(new ChannelHook(this));

    /// <summary>A typed client of the peer's bootstrap capability through this channel (a generated client of <typeparamref name="T"/>).</summary>
    /// <exception cref="ZtConfigurationException"><typeparamref name="T"/> has no generated client.</exception>
    public T CreateClient<T>()
        where T : class => ZapServiceRegistry.CreateClient<T>(Bootstrap());

    /// <summary>Connects now, unless connected already (calls do this on their own).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) => (await ConnectCoreAsync(cancellationToken).ConfigureAwait(false)).Release();

    /// <summary>A reference to the live bootstrap, or null when there is no open connection.</summary>
    internal CapHook? TryTakeReady()
    {
        var live = Volatile.Read(ref _live);
        return live is { Connection.IsOpen: true } && live.Bootstrap.Hook.TryAddRef() ? live.Bootstrap.Hook : null;
    }

    /// <summary>A reference to the bootstrap of an open connection, connecting (after the backoff) when there is none.</summary>
    internal async Task<CapHook> ConnectCoreAsync(CancellationToken cancellationToken)
    {
        if (TryTakeReady() is { } ready)
        {
            return ready;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        await _connecting.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            if (TryTakeReady() is { } again)
            {
                return again;
            }

            if (Interlocked.Exchange(ref _live, null) is { } dead)
            {
                await dead.DisposeAsync().ConfigureAwait(false);
            }

            if (_failures > 0)
            {
                var wait = Backoff(_failures) - TimeProvider.System.GetElapsedTime(_lastFailure);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, linked.Token).ConfigureAwait(false);
                }
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
            attempt.CancelAfter(ConnectTimeout);
            ZapConnection connection;
            try
            {
                connection = await ZapClient.ConnectAsync(_endpoint, _options, _transports, _logger, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!linked.IsCancellationRequested)
            {
                Failed();
                Log.ConnectFailed(_logger, _endpoint, _failures, "timed out");
                throw new ZtConnectionException(ZtErrorCode.Timeout, $"could not connect to {_endpoint} within {ConnectTimeout.TotalSeconds:0.#} s", e);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed();
                Log.ConnectFailed(_logger, _endpoint, _failures, e.Message);
                throw;
            }

            var live = new Live(connection, connection.Bootstrap());
            _failures = 0;
            Volatile.Write(ref _live, live);
            Log.Connected(_logger, _endpoint);
            return live.Bootstrap.Hook.AddRef();
        }
        finally
        {
            _connecting.Release();
        }
    }

    private void Failed()
    {
        _failures++;
        _lastFailure = TimeProvider.System.GetTimestamp();
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(LastBackoff.Ticks, FirstBackoff.Ticks << Math.Min(failures - 1, 16)));

    /// <summary>Closes the connection; calls made afterwards fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Interlocked.Exchange(ref _live, null) is { } live)
            {
                await live.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private sealed record Live(ZapConnection Connection, ZapCapability Bootstrap) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Bootstrap.Dispose();
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "ZAP channel connected to {Endpoint}")]
        public static partial void Connected(ILogger logger, Uri endpoint);

        [LoggerMessage(21, LogLevel.Warning, "ZAP channel could not connect to {Endpoint} (attempt {Failures}): {Reason}; the next call tries again")]
        public static partial void ConnectFailed(ILogger logger, Uri endpoint, int failures, string reason);
    }
}
