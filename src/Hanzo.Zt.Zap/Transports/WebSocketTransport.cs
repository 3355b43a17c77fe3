using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Zap.Transports;

/// <summary>
/// ZAP over WebSocket for <c>ws://host:port/path</c>: each ZAP frame is one binary message. The listener is a
/// small HTTP/1.1 upgrade endpoint that accepts WebSocket handshakes on the bound path and nothing else.
/// </summary>
public sealed class WebSocketTransport : IZtTransport
{
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxHandshakeBytes = 8 * 1024;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Schemes { get; } = ["ws"];

    /// <inheritdoc />
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var uri = endpoint is UriEndPoint u ? u.Uri : throw new ZtConfigurationException($"endpoint '{endpoint}' is not a ws://host:port/path address");
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            socket.Dispose();
            throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"could not open a WebSocket to {uri}: {e.Message}", e);
        }

        return new WebSocketConnection(socket, local: null, remote: endpoint);
    }

    /// <inheritdoc />
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var uri = endpoint is UriEndPoint u ? u.Uri : throw new ZtConfigurationException($"endpoint '{endpoint}' is not a ws://host:port/path address");
        var tcp = await new TcpTransport().BindAsync(new UriEndPoint(new Uri($"tcp://{uri.Authority}")), cancellationToken).ConfigureAwait(false);
        return new Listener(tcp, uri.AbsolutePath);
    }

    private sealed class Listener(IConnectionListener tcp, string path) : IConnectionListener
    {
        public EndPoint EndPoint => tcp.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var connection = await tcp.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (connection is null)
                {
                    return null;
                }

                var stream = ((StreamConnection)connection).Stream;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    if (await HandshakeAsync(stream, path, timeout.Token).ConfigureAwait(false))
                    {
                        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
                        return new WebSocketConnection(socket, connection.LocalEndPoint, connection.RemoteEndPoint);
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or InvalidDataException)
                {
                    // A client that fails its handshake does not stop the listener.
                }

                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => tcp.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => tcp.DisposeAsync();
    }

    /// <summary>Reads an HTTP/1.1 upgrade request and answers it; false (after an error response) when it is not one for <paramref name="path"/>.</summary>
    private static async Task<bool> HandshakeAsync(Stream stream, string path, CancellationToken cancellationToken)
    {
        string request = await ReadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
        var lines = request.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        string? status = null;
        if (requestLine.Length != 3 || requestLine[0] != "GET")
        {
            status = "405 Method Not Allowed";
        }
        else if (requestLine[1].Split('?')[0] != path)
        {
            status = "404 Not Found";
        }
        else if (!headers.TryGetValue("Upgrade", out var upgrade) || !upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || !headers.TryGetValue("Sec-WebSocket-Key", out _))
        {
            status = "426 Upgrade Required";
        }

        if (status is not null)
        {
            await WriteAsync(stream, $"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", cancellationToken).ConfigureAwait(false);
            return false;
        }

        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(headers["Sec-WebSocket-Key"] + HandshakeGuid)));
        await WriteAsync(stream, $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Byte by byte: the client sends nothing after its request until it has our answer, and this stops exactly there.
        var head = new byte[MaxHandshakeBytes];
        int length = 0;
        while (length < 4 || head[length - 4] != '\r' || head[length - 3] != '\n' || head[length - 2] != '\r' || head[length - 1] != '\n')
        {
            if (length == head.Length)
            {
                throw new InvalidDataException("the WebSocket handshake request is larger than 8 KiB");
            }

            int read = await stream.ReadAsync(head.AsMemory(length, 1), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the client closed the connection during the WebSocket handshake");
            }

            length++;
        }

        return Encoding.ASCII.GetString(head, 0, length - 4);
    }

    private static ValueTask WriteAsync(Stream stream, string text, CancellationToken cancellationToken) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
}
