using System.Threading.Channels;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Events;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// A bound service: connections dialed to it arrive through <see cref="AcceptAsync"/>. The bind is held on every
/// router the controller lists; a lost router link is re-established with backoff and the bind renewed.
/// </summary>
public sealed class ZtListener : IAsyncDisposable
{
    private readonly ZtContext _context;
    private readonly Channel<ZtConnection> _accepted = Channel.CreateBounded<ZtConnection>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _keepers = new();
    private readonly TaskCompletionSource _firstBind = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ZtListener(ZtContext context, string service)
    {
        _context = context;
        Service = service;
    }

    /// <summary>The service name.</summary>
    public string Service { get; }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var session = await _context.Controller.GetSessionAsync(Service, SessionType.Bind, fresh: false, cancellationToken).ConfigureAwait(false);
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
        while (!_stop.IsCancellationRequested)
        {
            RouterLink? edge = null;
            try
            {
                var session = await _context.Controller.GetSessionAsync(Service, SessionType.Bind, fresh, _stop.Token).ConfigureAwait(false);
                edge = await RouterLink.ConnectAsync(router, _context.Identity, _stop.Token).ConfigureAwait(false);
                edge.OnConnect = (circuit, _, dialer) => AcceptCircuitAsync(edge, circuit, dialer, session);
                await edge.BindAsync(session.Token, cost: 0, _stop.Token).ConfigureAwait(false);
                _context.Raise(new RouterConnectedEvent(DateTimeOffset.UtcNow, router.Authority, router));
                _firstBind.TrySetResult();
                delay = TimeSpan.FromMilliseconds(100);
                fresh = false;
                var reason = await edge.Link.Completion.WaitAsync(_stop.Token).ConfigureAwait(false);
                _context.Raise(new RouterDisconnectedEvent(DateTimeOffset.UtcNow, router.Authority, reason?.Message ?? "closed"));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (ZtException e)
            {
                // A refused bind may mean the cached token went stale: the next attempt gets a new one.
                fresh = e is ZtAuthenticationException or ZtAccessDeniedException;
                _context.Raise(new RouterDisconnectedEvent(DateTimeOffset.UtcNow, router.Authority, e.Message));
            }
            finally
            {
                if (edge is not null)
                {
                    await edge.DisposeAsync().ConfigureAwait(false);
                }
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

    private async ValueTask AcceptCircuitAsync(RouterLink edge, EdgeCircuit circuit, string dialer, FabricSession session)
    {
        edge.Link.Send(EdgeFrameKind.Dialed, circuit.Id);
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                var verifier = await _context.Controller.GetVerifierAsync(timeout.Token).ConfigureAwait(false);
                var tls = await EndToEnd.AcceptAsync(circuit, _context.Identity, dialer, session.Token, session.Service.Id, verifier, timeout.Token).ConfigureAwait(false);
                var connection = new ZtConnection(tls, circuit, Service, session.Id, dialer, onClosed: null);
                await _accepted.Writer.WriteAsync(connection, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A dialer that fails the handshake (or is not who the router said) never reaches the application.
                await circuit.DisposeAsync().ConfigureAwait(false);
            }
        });
        await ValueTask.CompletedTask.ConfigureAwait(false);
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
        _stop.Dispose();
    }
}
