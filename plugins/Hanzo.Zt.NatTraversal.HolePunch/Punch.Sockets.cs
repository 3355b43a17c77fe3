using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>The sockets of a punch: reflection, probes, and answering the peer's probes.</summary>
internal sealed partial class Punch
{
    private Socket Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        lock (_sockets)
        {
            _sockets.Add(socket);
        }

        return socket;
    }

    private void CloseSockets()
    {
        Socket[] sockets;
        lock (_sockets)
        {
            sockets = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>Asks the router which public address <paramref name="socket"/> is seen from; null when it does not answer.</summary>
    private async Task<IPEndPoint?> ReflectAsync(Socket socket, IPEndPoint reflector, CancellationToken cancellationToken)
    {
        var transaction = RandomNumberGenerator.GetBytes(NatReflection.TransactionIdLength);
        var request = NatReflection.CreateRequest(transaction, session.ReflectionToken);
        var buffer = new byte[128];
        for (int attempt = 0; attempt < 4; attempt++)
        {
            try
            {
                await socket.SendToAsync(request, SocketFlags.None, reflector, cancellationToken).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(TimeSpan.FromMilliseconds(250 * (attempt + 1)));
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token).ConfigureAwait(false);
                    if (NatReflection.TryReadResponse(buffer.AsSpan(0, received.ReceivedBytes), transaction, out var observed))
                    {
                        return observed;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer yet: ask again.
            }
            catch (SocketException)
            {
                return null;
            }
        }

        return null;
    }

    private static void SendProbe(Socket socket, IPEndPoint to, byte[] packet)
    {
        try
        {
            socket.SendTo(packet, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Unreachable candidates are the normal case while punching.
        }
    }

    private void SendProbe(Socket socket, IPEndPoint to) =>
        SendProbe(socket, to, ProbePacket.Create(ProbeKind.Probe, BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)), _key));

    /// <summary>Answers the peer's probes on <paramref name="socket"/> and notes answers to ours, until the socket is closed.</summary>
    private void Receive(Socket socket) => _ = Task.Run(async () =>
    {
        var buffer = new byte[2048];
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            var from = (IPEndPoint)received.RemoteEndPoint;
            if (!ProbePacket.TryRead(buffer.AsSpan(0, received.ReceivedBytes), _key, out var kind, out ulong transaction))
            {
                continue;
            }

            if (kind == ProbeKind.Probe)
            {
                _acked.TryAdd(transaction, (socket, from));
                SendProbe(socket, from, ProbePacket.Create(ProbeKind.Ack, transaction, _key));
                if (session.IsInitiator)
                {
                    // The peer got through to us: probe back to where it came from, and its answer proves both ways.
                    SendProbe(socket, from);
                }
            }
            else if (session.IsInitiator)
            {
                _answered.TrySetResult((socket, from, transaction));
            }
        }
    });

    [LoggerMessage(Level = LogLevel.Debug, Message = "punch {SessionId}: reflexive {Reflexive} (per-destination mapping: {Hard}); peer reflexive {PeerReflexive} (per-destination mapping: {PeerHard})")]
    private static partial void LogCandidates(ILogger logger, string sessionId, string reflexive, bool hard, string peerReflexive, bool peerHard);

    [LoggerMessage(Level = LogLevel.Information, Message = "punch {SessionId}: direct path to {Peer} proven")]
    private static partial void LogProven(ILogger logger, string sessionId, IPEndPoint peer);
}
