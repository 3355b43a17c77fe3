using System.Threading.Channels;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Events;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// A bound service: connections dialed to it arrive through <see cref="AcceptAsync"/>. The bind is held on every
/// router the controller lists, over the identity's shared router links; a lost link is re-established with
/// backoff and the bind renewed.
/// </summary>
public sealed partial class ZtListener : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);
    private readonly ControllerClient _controller;
    private readonly RouterLinks _links;
    private readonly FabricIdentity _identity;
    private readonly ILogger _logger;
    private readonly Action<ZtEvent> _raise;
    private readonly Channel<ZtConnection> _accepted = Channel.CreateBounded<ZtConnection>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _keepers = new();
    private readonly TaskCompletionSource _firstBind = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly NatTraversal.INatTraversal? _nat;

    internal ZtListener(string service, ControllerClient controller, RouterLinks links, FabricIdentity identity, ILogger logger, Action<ZtEvent> raise, NatTraversal.INatTraversal? nat = null)
    {
        _nat = nat;
        _raise = raise;
        Service = service;
        _controller = controller;
        _links = links;
        _identity = identity;
        _logger = logger;
    }

    /// <summary>The service name.</summary>
    public string Service { get; }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var session = await _controller.GetSessionAsync(Service, SessionType.Bind, fresh: false, cancellationToken).ConfigureAwait(false);
        if (session.Routers.Count == 0)
        {
            throw new ZtConnectionException(ZtErrorCode.NoEdgeRouters, $"the controller lists no edge router for service '{Service}'");
        }

        foreach (var router in session.Routers)
        {
            _keepers.Add(Task.Run(() => KeepBoundAsync(router)));
        }

        await _firstBind.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the next connection.</summary>
    public async ValueTask<ZtConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException($"the listener for '{Service}' is closed", e);
        }
    }

    private async Task KeepBoundAsync(Uri router)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        bool fresh = false;
        int binds = 0;
        while (!_stop.IsCancellationRequested)
        {
            RouterLink? link = null;
            FabricSession? session = null;
            uint bindId = 0;
            try
            {
                session = await _controller.GetSessionAsync(Service, SessionType.Bind, fresh, _stop.Token).ConfigureAwait(false);
                link = await _links.GetAsync(router, _stop.Token).ConfigureAwait(false);
                var bound = session;
                var over = link;
                link.Host(session.Service.Id, (circuit, dialer) => AcceptCircuitAsync(over, circuit, dialer, bound));
                bindId = await link.BindAsync(session.Token, cost: 0, _stop.Token).ConfigureAwait(false);
                LogBound(_logger, Service, router, ++binds > 1 ? "again" : "");
                _raise(new ServiceBoundEvent(DateTimeOffset.UtcNow, Service, router));
                _firstBind.TrySetResult();
                delay = TimeSpan.FromMilliseconds(100);
                fresh = false;
                var reason = await link.Completion.WaitAsync(_stop.Token).ConfigureAwait(false);
                LogLost(_logger, Service, router, reason?.Message ?? "closed");
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                if (link is not null && session is not null && bindId != 0)
                {
                    link.Unbind(session.Service.Id, bindId);
                }

                break;
            }
            catch (ZtException e)
            {
                // A refused bind may mean the cached token went stale: the next attempt gets a new one.
                fresh = e is ZtAuthenticationException or ZtAccessDeniedException;
                LogBindFailed(_logger, Service, router, e.Message);
            }

            try
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private ValueTask AcceptCircuitAsync(RouterLink link, EdgeCircuit circuit, string dialer, FabricSession session)
    {
        link.Link.Send(EdgeFrameKind.Dialed, circuit.Id);
        _ = Task.Run(async () =>
        {
            var path = new Paths.PathStream(circuit, link.Router, reportsUsage: true);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(HandshakeTimeout);
                var identity = await _identity.GetAsync(timeout.Token).ConfigureAwait(false);
                var verifier = await _controller.GetVerifierAsync(timeout.Token).ConfigureAwait(false);
                var (tls, key) = await EndToEnd.AcceptAsync(path, identity, dialer, session.Token, session.Service.Id, verifier, timeout.Token).ConfigureAwait(false);
                var connection = new ZtConnection(tls, path, Service, session.Id, dialer, meter: null);
                Paths.DirectPaths.Start(_nat, path, link.Router, session.Id, session.Token, initiator: false, key, _logger);
                await _accepted.Writer.WriteAsync(connection, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A dialer that fails the handshake (or is not who the router said) never reaches the application.
                await path.DisposeAsync().ConfigureAwait(false);
            }
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>Unbinds everywhere and stops accepting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        await Task.WhenAll(_keepers).ConfigureAwait(false);
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out var unclaimed))
        {
            await unclaimed.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bound service '{Service}' on router {Router} {Again}")]
    private static partial void LogBound(ILogger logger, string service, Uri router, string again);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the bind of service '{Service}' on router {Router}: {Reason}; binding again")]
    private static partial void LogLost(ILogger logger, string service, Uri router, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not bind service '{Service}' on router {Router}: {Reason}; retrying")]
    private static partial void LogBindFailed(ILogger logger, string service, Uri router, string reason);
}
