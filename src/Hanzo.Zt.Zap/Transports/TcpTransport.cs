using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Zap.Transports;

/// <summary>
/// Plain TCP for <c>tcp://host:port</c>, with Nagle's algorithm off (small RPC messages must not wait for
/// delayed ACKs).
/// </summary>
public sealed class TcpTransport : IZtTransport
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> Schemes { get; } = ["tcp"];

    /// <inheritdoc />
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var target = ToSocketEndPoint(endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (ReadsOnOwnThreads(_receiveThreads))
            {
                await ConnectOnOwnThreadAsync(socket, target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"could not connect to {Describe(endpoint)}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new StreamConnection(NewStream(socket, _receiveThreads), socket.LocalEndPoint, socket.RemoteEndPoint);
    }

    /// <summary>The variable that sets the default of <see cref="ReceiveThreads"/> for a process.</summary>
    internal const string ReceiveThreadsVariable = "HANZO_ZT_TCP_RECEIVE_THREADS";

    private readonly ReceiveThreadBudget _receiveThreads = ReceiveThreadBudget.Shared;

    /// <summary>
    /// How many connections of this transport may each read on a thread of their own at once (on Linux and macOS),
    /// the connections its listeners accept and those it opens alike: that thread waits in the kernel on the socket
    /// and runs the connection's read loop as soon as data arrives, so the calls in a message are dispatched, and
    /// their answers written, with no hand-off from the runtime's socket polling thread to the thread pool; and a
    /// caller whose answer it read resumes there too, once the read loop has asked for its next read. Connections
    /// beyond the budget, and connections idle for two seconds, read through the thread pool as a
    /// <see cref="NetworkStream"/> does, and take a thread again on a later read once one is free. 0 turns this off.
    /// </summary>
    /// <remarks>
    /// A caller resumes on a connection's thread only from an await that lets it resume anywhere: one with a
    /// synchronization context or a task scheduler of its own resumes there, as it would otherwise. A caller that
    /// blocks on that thread (waiting synchronously on another call of its connection) or runs for more than 20 ms
    /// has the connection's next read moved to a new thread, so its answers still arrive. Unless set, every
    /// <see cref="TcpTransport"/> of the process shares one budget of four threads per core, or the number in the
    /// <c>HANZO_ZT_TCP_RECEIVE_THREADS</c> environment variable (or the <c>Hanzo.Zt.Zap.TcpReceiveThreads</c>
    /// runtime configuration value); setting it gives this transport a budget of its own. A handler of a call that
    /// arrives on such a connection runs on its thread, as it runs on the pool thread that completed the read
    /// otherwise: a handler that blocks holds up the connection's next message either way. With threads on, a
    /// connection is opened by a blocking connect on a thread of its own, which a cancellation ends by closing the
    /// socket.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int ReceiveThreads
    {
        get => _receiveThreads.Limit;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _receiveThreads = new ReceiveThreadBudget(value);
        }
    }

    /// <summary>The process's default for <see cref="ReceiveThreads"/>.</summary>
    internal static int DefaultReceiveThreads =>
        Count(Environment.GetEnvironmentVariable(ReceiveThreadsVariable))
        ?? Count(Convert.ToString(AppContext.GetData("Hanzo.Zt.Zap.TcpReceiveThreads"), CultureInfo.InvariantCulture))
        ?? 4 * Environment.ProcessorCount;

    private static int? Count(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) ? count : null;

    private static NetworkStream NewStream(Socket socket, ReceiveThreadBudget budget) =>
        ReadsOnOwnThreads(budget)
            ? new DirectReceiveStream(socket, budget)
            : new NetworkStream(socket, ownsSocket: true);

    /// <summary>Whether connections with <paramref name="budget"/> read on threads of their own (<see cref="DirectReceiveStream"/>).</summary>
    private static bool ReadsOnOwnThreads(ReceiveThreadBudget budget) => budget.Limit > 0 && !OperatingSystem.IsWindows();

    /// <summary>
    /// Connects with a blocking connect on a thread of its own, canceled by closing the socket. The runtime's
    /// asynchronous connect would register the socket with its polling thread, which from then on wakes for every
    /// message that arrives, even those a receiving thread of the connection's own reads (measured on 2 cores: the
    /// calling process's CPU per sequential call 3 to 5 times, the p50 round trip 1.25 to 1.65 times).
    /// </summary>
    private static async Task ConnectOnOwnThreadAsync(Socket socket, EndPoint target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connect = new BlockingConnect(socket, target);
        var connecting = Task.Factory.StartNew(static c => ((BlockingConnect)c!).Run(), connect, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        using (cancellationToken.UnsafeRegister(static c => ((BlockingConnect)c!).Cancel(), connect))
        {
            try
            {
                await connecting.ConfigureAwait(false);
            }
            catch (Exception e) when (connect.Canceled && e is SocketException or ObjectDisposedException)
            {
                throw new OperationCanceledException("the connect was canceled", e, cancellationToken);
            }
        }

        if (connect.Canceled)
        {
            throw new OperationCanceledException("the connect was canceled", cancellationToken);
        }
    }

    /// <summary>A blocking connect that a cancellation ends by closing the socket, unless the connect won the race.</summary>
    private sealed class BlockingConnect(Socket socket, EndPoint target)
    {
        private const int Connecting = 0, Connected = 1, CanceledState = 2;
        private int _phase;

        public bool Canceled => Volatile.Read(ref _phase) == CanceledState;

        public void Run()
        {
            socket.Connect(target);
            Interlocked.CompareExchange(ref _phase, Connected, Connecting);
        }

        public void Cancel()
        {
            if (Interlocked.CompareExchange(ref _phase, CanceledState, Connecting) == Connecting)
            {
                socket.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var target = ToSocketEndPoint(endpoint);
        var address = target switch
        {
            IPEndPoint ip => ip,
            DnsEndPoint { Host: "localhost" } dns => new IPEndPoint(IPAddress.Loopback, dns.Port),
            DnsEndPoint dns => new IPEndPoint(Dns.GetHostAddresses(dns.Host)[0], dns.Port),
            _ => throw new ZtConfigurationException($"cannot listen on {Describe(endpoint)}"),
        };

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(address);
            socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"could not listen on {Describe(endpoint)}: {e.Message}", e);
        }

        return ValueTask.FromResult<IConnectionListener>(new TcpConnectionListener(socket, _receiveThreads));
    }

    internal static EndPoint ToSocketEndPoint(EndPoint endpoint) => endpoint switch
    {
        UriEndPoint { Uri: var uri } when uri.Port >= 0 =>
            IPAddress.TryParse(uri.IdnHost, out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.IdnHost, uri.Port),
        UriEndPoint { Uri: var uri } => throw new ZtConfigurationException($"endpoint '{uri}' has no port; write it as tcp://host:port"),
        IPEndPoint or DnsEndPoint => endpoint,
        _ => throw new ZtConfigurationException($"endpoint '{endpoint}' is not a tcp://host:port address"),
    };

    private static string Describe(EndPoint endpoint) => endpoint is UriEndPoint u ? u.Uri.ToString() : endpoint.ToString() ?? "?";

    private sealed class TcpConnectionListener(Socket socket, ReceiveThreadBudget receiveThreads) : IConnectionListener
    {
        public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
                {
                    return null; // unbound
                }
                catch (SocketException)
                {
                    continue; // one failed handshake (e.g. reset before accept) does not stop the listener
                }

                accepted.NoDelay = true;
                return new StreamConnection(NewStream(accepted, receiveThreads), accepted.LocalEndPoint, accepted.RemoteEndPoint);
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
