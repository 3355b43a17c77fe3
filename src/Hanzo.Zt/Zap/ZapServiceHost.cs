using System.Net;
using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// Serves the implementation of <typeparamref name="T"/> registered with <c>AddZapService&lt;T, TImpl&gt;</c> on
/// its endpoint while the host runs. Binding happens in the background, so the host starts even while the
/// controller, a router or the balance is not there yet; a failed bind is retried with backoff (from 100 ms to
/// 5 s), and over <c>zt://</c> a bind lost with its router is renewed by the fabric. Each bind is logged.
/// </summary>
public sealed partial class ZapServiceHost<T> : IHostedService, IAsyncDisposable
    where T : class
{
    private readonly Uri _endpoint;
    private readonly Func<T> _implementation;
    private readonly IZtTransportSelector _transports;
    private readonly ZapConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<EndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _serving = Task.CompletedTask;
    private ZapListener? _listener;

    internal ZapServiceHost(Uri endpoint, Func<T> implementation, IZtTransportSelector transports, ZapConnectionOptions options, ILogger logger)
    {
        _endpoint = endpoint;
        _implementation = implementation;
        _transports = transports;
        _options = options;
        _logger = logger;
    }

    /// <summary>The address bound (with the real port when 0 was asked for); null before the first bind.</summary>
    public EndPoint? EndPoint => _listener?.EndPoint;

    /// <summary>Completes with the bound address once the service is bound.</summary>
    public Task<EndPoint> WhenBound => _bound.Task;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _serving = Task.Run(BindAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task BindAsync()
    {
        var delay = TimeSpan.FromMilliseconds(100);
        using var bootstrap = ZapCapability.FromServer(ZapServiceRegistry.CreateServer(_implementation()));
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _listener = await ZapListener.BindAsync(_endpoint, bootstrap, _options, _transports, _logger, _stop.Token).ConfigureAwait(false);
                LogBound(_logger, typeof(T).Name, _endpoint, _listener.EndPoint);
                _bound.TrySetResult(_listener.EndPoint);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ZtException or IOException or System.Net.Sockets.SocketException)
            {
                LogBindFailed(_logger, typeof(T).Name, _endpoint, e.Message, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <summary>Stops listening and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }

        await _serving.ConfigureAwait(false);
        if (Interlocked.Exchange(ref _listener, null) is { } listener)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Service} on {Endpoint} (bound {Address})")]
    private static partial void LogBound(ILogger logger, string service, Uri endpoint, EndPoint address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not bind {Service} on {Endpoint}: {Reason}; retrying in {Seconds} s")]
    private static partial void LogBindFailed(ILogger logger, string service, Uri endpoint, string reason, double seconds);
}
