using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    private readonly FrameWriter _writer;

    /// <summary>
    /// Frames <paramref name="message"/> into the outgoing batch and makes sure a write is under way. Messages go
    /// out in the order this is called. The caller still owns (and disposes) the builder.
    /// </summary>
    /// <exception cref="ZapException">The message is over the size limit (nothing is sent), or the connection is closed.</exception>
    internal void Send(MessageBuilder message)
    {
        switch (_writer.TryWrite(message))
        {
            case FrameWriteResult.Queued:
                return;
            case FrameWriteResult.TooLarge:
                throw new ZapException(ZapExceptionType.Failed, $"the message is {MessageSerializer.GetSerializedSize(message)} bytes; the limit is {_options.MaxMessageBytes} bytes per message");
            case FrameWriteResult.PeerNotReading:
                // The peer has stopped reading: fail the connection instead of buffering without bound.
                var error = ZapException.Disconnected($"the peer is not reading: more than {_options.MaxPendingSendBytes} bytes are waiting to be sent");
                CutOffForNotReading(error);
                throw error;
            default:
                throw ClosedError();
        }
    }

    /// <summary>Ends the connection with a peer that does not read: nothing queued is drained to it.</summary>
    private void CutOffForNotReading(ZapException error)
    {
        Volatile.Write(ref _peerNotReading, true);
        Shutdown(error, abortPeer: null);
    }

    private void OnWriteFailed(Exception e)
    {
        if (!_closing.IsCancellationRequested)
        {
            Shutdown(e is ZapException ? e : ZapException.Disconnected($"writing to the transport failed: {e.Message}", e), abortPeer: null);
        }
    }

    /// <summary>Queues an <c>Abort</c> to leave with the last batch (the drain at shutdown writes it).</summary>
    private void TrySendAbort(Exception reason)
    {
        using var message = RpcCodec.NewMessage(RpcMessageKind.Abort, Rpc.Exception.DataWords, Rpc.Exception.Pointers, out var body);
        RpcCodec.WriteException(body, reason);
        _writer.TryWrite(message, startWriting: false);
    }
}
