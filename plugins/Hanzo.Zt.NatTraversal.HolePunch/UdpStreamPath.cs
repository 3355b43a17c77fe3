using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using LiteNetLib;

namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>
/// A punched path as a reliable, ordered byte stream: LiteNetLib's reliable-ordered channel on the punched socket's
/// port, with its pings as keepalives and its disconnect timeout as dead-path detection. The stream's input
/// completes with an error when the peer stops answering.
/// </summary>
internal sealed class UdpStreamPath : INatPath
{
    private readonly LiteNetManager _manager;
    private readonly Pipe _inbound = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Pipe _outbound = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly object _inboundLock = new();
    private readonly TaskCompletionSource<LiteNetPeer> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _inboundDone;
    private Task? _sending;
    private int _disposed;

    private UdpStreamPath(int port, IPEndPoint remote, NatCandidateKind kind, string key, bool initiator, HolePunchOptions options)
    {
        RemoteEndPoint = remote;
        RemoteKind = kind;
        var listener = new EventBasedLiteNetListener();
        listener.ConnectionRequestEvent += request =>
        {
            if (!initiator)
            {
                request.AcceptIfKey(key);
            }
            else
            {
                request.Reject();
            }
        };
        listener.PeerConnectedEvent += peer => _connected.TrySetResult(peer);
        listener.PeerDisconnectedEvent += (_, info) =>
        {
            var lost = new IOException($"the direct path to {remote} was lost ({info.Reason})");
            _connected.TrySetException(lost);
            EndInbound(lost);
        };
        listener.NetworkReceiveEvent += (_, reader, _) =>
        {
            lock (_inboundLock)
            {
                if (!_inboundDone)
                {
                    _inbound.Writer.Write(reader.GetRemainingBytesSpan());
                    _ = _inbound.Writer.FlushAsync();
                }
            }

            reader.Recycle();

            // Acknowledge now rather than on the next tick: the sender's window is a few dozen packets.
            _manager!.TriggerUpdate();
        };
        _manager = new LiteNetManager(listener)
        {
            UnsyncedEvents = true,
            IPv6Enabled = false,
            PingInterval = (int)options.KeepaliveInterval.TotalMilliseconds,
            DisconnectTimeout = (int)options.DeadAfter.TotalMilliseconds,
            ReconnectDelay = 100,
            UpdateTime = 10,
            MaxConnectAttempts = 40,
            DisconnectOnUnreachable = false,
        };
        if (!_manager.Start(IPAddress.Any, IPAddress.IPv6Any, port))
        {
            throw new IOException($"UDP port {port} could not be bound again for the direct path");
        }

        LocalEndPoint = new IPEndPoint(IPAddress.Any, _manager.LocalPort);
        if (initiator)
        {
            _manager.Connect(remote, key);
        }
    }

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public NatCandidateKind RemoteKind { get; }

    public IDuplexPipe Transport => new Duplex(_inbound.Reader, _outbound.Writer);

    /// <summary>
    /// Starts the stream on <paramref name="port"/> (the punched socket's, just closed) and connects to
    /// <paramref name="remote"/> (initiator) or accepts it (responder); null when no connection came up in time.
    /// </summary>
    public static async Task<UdpStreamPath?> OpenAsync(int port, IPEndPoint remote, NatCandidateKind kind, string key, bool initiator, HolePunchOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = new UdpStreamPath(port, remote, kind, key, initiator, options);
        try
        {
            var peer = await path._connected.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            path._sending = Task.Run(() => path.SendLoopAsync(peer));
            return path;
        }
        catch (Exception e) when (e is TimeoutException or IOException or OperationCanceledException)
        {
            await path.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw;
            }

            return null;
        }
    }

    private async Task SendLoopAsync(LiteNetPeer peer)
    {
        var reader = _outbound.Reader;
        int packet = peer.GetMaxSinglePacketSize(DeliveryMethod.ReliableOrdered);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    for (int at = 0; at < segment.Length; at += packet)
                    {
                        peer.Send(segment.Span.Slice(at, Math.Min(packet, segment.Length - at)), DeliveryMethod.ReliableOrdered);
                    }
                }

                _manager.TriggerUpdate();

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _outbound.Writer.CompleteAsync().ConfigureAwait(false);
        if (_sending is not null)
        {
            await _sending.ConfigureAwait(false);
        }

        _manager.Stop(true);
        EndInbound(new IOException("the direct path was closed"));
    }

    private void EndInbound(Exception reason)
    {
        lock (_inboundLock)
        {
            if (!_inboundDone)
            {
                _inboundDone = true;
                _inbound.Writer.Complete(reason);
            }
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
