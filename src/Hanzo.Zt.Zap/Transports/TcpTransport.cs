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
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"could not connect to {Describe(endpoint)}: {e.Message}", e);
        }

        return new StreamConnection(new NetworkStream(socket, ownsSocket: true), socket.LocalEndPoint, socket.RemoteEndPoint);
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

        return ValueTask.FromResult<IConnectionListener>(new TcpConnectionListener(socket));
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

    private sealed class TcpConnectionListener(Socket socket) : IConnectionListener
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
                return new StreamConnection(new NetworkStream(accepted, ownsSocket: true), accepted.LocalEndPoint, accepted.RemoteEndPoint);
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
