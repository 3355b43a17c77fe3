using System.Net;
using System.Net.Sockets;
using Hanzo.Zt.NatTraversal;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>
/// UDP address reflection on the IP and port number of the edge listener: tells an SDK the public address its
/// UDP socket was seen from, so peers can punch holes to each other. Answers only requests that carry a valid,
/// unrevoked session token, and never with more bytes than the request carried (<see cref="NatReflection"/>).
/// </summary>
internal sealed partial class AddressReflector : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ControllerFeed _feed;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private AddressReflector(Socket socket, ControllerFeed feed, ILogger logger)
    {
        _socket = socket;
        _feed = feed;
        _logger = logger;
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Where the reflector listens.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds UDP on <paramref name="endPoint"/> (the edge listener's address and port number) and starts answering.</summary>
    public static AddressReflector Start(IPEndPoint endPoint, ControllerFeed feed, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(endPoint);
        return new AddressReflector(socket, feed, logger);
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[NatReflection.MaxRequestLength + 1];
        var answer = new byte[64];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // An ICMP error from an earlier answer's destination: not this socket's problem.
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var request = buffer.AsSpan(0, received.ReceivedBytes);
            if (!NatReflection.TryReadRequest(request, out var transactionId, out var token) || !IsValid(token))
            {
                continue;
            }

            var from = (IPEndPoint)received.RemoteEndPoint;
            int length = NatReflection.WriteResponse(transactionId, from, answer);
            if (length > request.Length)
            {
                continue;
            }

            try
            {
                await _socket.SendToAsync(answer.AsMemory(0, length), SocketFlags.None, from, _stop.Token).ConfigureAwait(false);
                LogReflected(_logger, from);
            }
            catch (SocketException)
            {
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private bool IsValid(string token)
    {
        try
        {
            return _feed.Verifier.TryVerify(token, out var claims) && claims is not null
                && !_feed.IsRevoked(RevocationTypes.Session, claims.SessionId)
                && !_feed.IsRevoked(RevocationTypes.Identity, claims.IdentityId);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        await _serving.ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "reflected UDP address {Observed}")]
    private static partial void LogReflected(ILogger logger, IPEndPoint observed);
}
