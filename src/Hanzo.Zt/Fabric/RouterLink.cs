using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// This process's link to one edge router, shared by every dial and bind through that router: its circuits, the
/// dials and binds waiting for the router's answer, and the hosts of the services bound over it.
/// </summary>
internal sealed class RouterLink : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<uint, EdgeCircuit> _circuits = new();
    private readonly Dictionary<uint, TaskCompletionSource<string>> _pending = new();
    private uint _nextId = 1;

    private RouterLink(Uri router) => Router = router;

    public Uri Router { get; }

    public EdgeLink Link { get; private set; } = null!;

    private readonly Dictionary<string, Func<EdgeCircuit, string, ValueTask>> _hosts = new(StringComparer.Ordinal);

    /// <summary>True until the link is lost or closed.</summary>
    public bool IsOpen => Link.IsOpen;

    /// <summary>Completes, with the reason or null, when the link ends.</summary>
    public Task<Exception?> Completion => Link.Completion;

    /// <summary>Hands each circuit the router opens for service <paramref name="serviceId"/> (a dialer reached it) to <paramref name="accept"/>, with the dialer's identity id.</summary>
    public void Host(string serviceId, Func<EdgeCircuit, string, ValueTask> accept)
    {
        lock (_lock)
        {
            _hosts[serviceId] = accept;
        }
    }

    /// <summary>Withdraws the bind <paramref name="bindId"/> of <paramref name="serviceId"/>: the router stops sending its dialers here.</summary>
    public void Unbind(string serviceId, uint bindId)
    {
        lock (_lock)
        {
            _hosts.Remove(serviceId);
        }

        if (Link.IsOpen)
        {
            Link.Send(EdgeFrameKind.Unbind, bindId);
        }
    }

    public int CircuitCount
    {
        get
        {
            lock (_lock)
            {
                return _circuits.Count;
            }
        }
    }

    public static async Task<RouterLink> ConnectAsync(Uri router, ZtIdentity identity, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var session = new RouterLink(router);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream tls;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(router.Host, router.Port, deadline.Token).ConfigureAwait(false);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await tls.AuthenticateAsClientAsync(
                ZtTls.Client(router.Host, identity.Certificate, identity.CertificateAuthorities, ZtTls.LinkProtocols),
                deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or AuthenticationException or IOException)
        {
            socket.Dispose();
            throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"could not open an edge link to router {router}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ZtConnectionException(ZtErrorCode.Timeout, $"could not open an edge link to router {router} within {timeout.TotalSeconds:0.#} s (HanzoZt:ConnectTimeout)", e);
        }

        session.Link = new EdgeLink(tls, session.OnFrameAsync) { PeerId = router.ToString() };
        session.Link.Start();
        session.Link.Send(EdgeFrameKind.Hello, 0, peer: "hanzo-zt-dotnet");
        _ = session.Link.Completion.ContinueWith(t => session.OnLinkEnded(t.Result), TaskScheduler.Default);
        return session;
    }

    /// <summary>Asks the router for a circuit to the token's service; returns it with the host's identity id.</summary>
    public async Task<(EdgeCircuit Circuit, string HostId)> DialAsync(string token, CancellationToken cancellationToken)
    {
        var (id, answer) = Register();
        var circuit = new EdgeCircuit(Link, id, Forget);
        lock (_lock)
        {
            _circuits[id] = circuit;
        }

        Link.Send(EdgeFrameKind.Dial, id, token: token);
        try
        {
            string host = await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return (circuit, host);
        }
        catch
        {
            Forget(circuit);
            throw;
        }
    }

    /// <summary>Binds the token's service on this router; completes when the router confirms.</summary>
    public async Task<uint> BindAsync(string token, ulong cost, CancellationToken cancellationToken)
    {
        var (id, answer) = Register();
        Link.Send(EdgeFrameKind.Bind, id, cost, token);
        await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    private (uint Id, TaskCompletionSource<string> Answer) Register()
    {
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            uint id = _nextId++ & 0x7fff_ffff;
            _pending[id] = answer;
            return (id, answer);
        }
    }

    private void Forget(EdgeCircuit circuit)
    {
        lock (_lock)
        {
            _circuits.Remove(circuit.Id);
        }
    }

    /// <summary>Handles a frame from the router; only a circuit offered to a host may have to wait (for the host to take it).</summary>
    private ValueTask OnFrameAsync(EdgeLink link, EdgeFrame frame)
    {
        switch (frame.Kind)
        {
            case EdgeFrameKind.Data:
                if (Find(frame.Circuit) is { } target)
                {
                    try
                    {
                        target.OnData(frame.Payload.Span);
                    }
                    catch (ZtProtocolException e)
                    {
                        target.OnRemoteClose(e.Message, abrupt: true);
                        link.Send(EdgeFrameKind.Close, target.Id, (ulong)ZtErrorCode.ConnectionClosed, payload: System.Text.Encoding.UTF8.GetBytes(e.Message));
                    }
                }

                break;
            case EdgeFrameKind.Credit:
                Find(frame.Circuit)?.OnCredit(frame.Value);
                break;
            case EdgeFrameKind.Close:
                Find(frame.Circuit)?.OnRemoteClose(frame.Reason, abrupt: frame.Value != 0);
                break;
            case EdgeFrameKind.Dialed:
            case EdgeFrameKind.Bound:
                Take(frame.Circuit)?.TrySetResult(frame.Kind == EdgeFrameKind.Dialed ? frame.Peer : frame.Token);
                break;
            case EdgeFrameKind.Fault:
                Take(frame.Circuit)?.TrySetException(FaultError((ZtErrorCode)frame.Value, frame.Reason));
                break;
            case EdgeFrameKind.Connect:
                return AcceptAsync(link, frame);
            case EdgeFrameKind.Ping:
                link.Send(EdgeFrameKind.Pong, frame.Circuit, frame.Value);
                break;
        }

        return default;
    }

    /// <summary>A circuit the router offers for a hosted service: to its host, or refused when nothing listens here.</summary>
    private async ValueTask AcceptAsync(EdgeLink link, EdgeFrame frame)
    {
        var circuit = new EdgeCircuit(link, frame.Circuit, Forget);
        lock (_lock)
        {
            _circuits[frame.Circuit] = circuit;
        }

        Func<EdgeCircuit, string, ValueTask>? host;
        lock (_lock)
        {
            host = _hosts.GetValueOrDefault(frame.Token);
        }

        if (host is not null)
        {
            await host(circuit, frame.Peer).ConfigureAwait(false);
        }
        else
        {
            link.Send(EdgeFrameKind.Fault, frame.Circuit, (ulong)ZtErrorCode.ServiceNotFound, payload: "nothing is listening here"u8);
        }
    }

    // A code this SDK does not expect from a router (a newer router's) is a failed connection: building the error must
    // never throw, or the link's reader would end with it.
    internal static ZtException FaultError(ZtErrorCode code, string reason) => code switch
    {
        ZtErrorCode.AccessDenied => new ZtAccessDeniedException(reason),
        ZtErrorCode.NotAuthenticated => new ZtAuthenticationException(code, reason),
        ZtErrorCode.ConnectionClosed or ZtErrorCode.NoEdgeRouters or ZtErrorCode.SessionLimit => new ZtConnectionException(code, reason),
        _ => new ZtConnectionException(ZtErrorCode.ConnectionFailed, reason),
    };

    private EdgeCircuit? Find(uint id)
    {
        lock (_lock)
        {
            return _circuits.GetValueOrDefault(id);
        }
    }

    private TaskCompletionSource<string>? Take(uint id)
    {
        lock (_lock)
        {
            return _pending.Remove(id, out var answer) ? answer : null;
        }
    }

    private void OnLinkEnded(Exception? reason)
    {
        EdgeCircuit[] circuits;
        TaskCompletionSource<string>[] pending;
        lock (_lock)
        {
            circuits = [.. _circuits.Values];
            pending = [.. _pending.Values];
            _circuits.Clear();
            _pending.Clear();
        }

        string why = $"the link to router {Router} was lost" + (reason is null ? "" : $": {reason.Message}");
        foreach (var circuit in circuits)
        {
            circuit.OnRemoteClose(why, abrupt: true);
        }

        foreach (var answer in pending)
        {
            answer.TrySetException(new ZtConnectionException(ZtErrorCode.ConnectionClosed, why));
        }
    }

    public ValueTask DisposeAsync()
    {
        Link?.Close();
        return ValueTask.CompletedTask;
    }
}
