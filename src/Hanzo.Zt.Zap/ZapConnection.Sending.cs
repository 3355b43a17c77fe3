using System.Buffers;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    /// <summary>Above this, a drained batch buffer is dropped rather than kept for reuse.</summary>
    private const int RetainedBatchBytes = 1024 * 1024;

    private readonly object _sendLock = new();
    private ArrayBufferWriter<byte> _pending = null!;
    private ArrayBufferWriter<byte>? _spare;
    private bool _writing;
    private bool _sendClosed;
    private int _corks;
    private Task _writer = Task.CompletedTask;

    private void InitSending()
    {
        _pending = new ArrayBufferWriter<byte>(4096);
        _spare = new ArrayBufferWriter<byte>(4096);
    }

    /// <summary>
    /// Frames <paramref name="message"/> into the outgoing batch and makes sure a writer is draining it. Messages
    /// go out in the order this is called. The caller still owns (and disposes) the builder.
    /// </summary>
    /// <exception cref="ZapException">The message is over the size limit (nothing is sent), or the connection is closed.</exception>
    internal void Send(MessageBuilder message)
    {
        bool startWriter = false;
        bool overLimit = false;
        lock (_sendLock)
        {
            if (_sendClosed)
            {
                throw ClosedError();
            }

            long size = _codec.FramedSize(message);
            if (_pending.WrittenCount + size > _options.MaxPendingSendBytes)
            {
                // The peer has stopped reading: fail the connection instead of buffering without bound.
                _sendClosed = true;
                overLimit = true;
            }
            else
            {
                _codec.Write(message, _pending);
                startWriter = !_writing && _corks == 0;
                _writing |= startWriter;
            }
        }

        if (startWriter)
        {
            _writer = WriteLoopAsync();
        }

        if (overLimit)
        {
            var error = ZapException.Disconnected(
                $"the peer is not reading: more than {_options.MaxPendingSendBytes} bytes are waiting to be sent");
            Shutdown(error, abortPeer: null);
            throw error;
        }
    }

    /// <summary>Holds outgoing messages back while a batch of incoming ones is handled, so they leave in one write.</summary>
    private void Cork()
    {
        lock (_sendLock)
        {
            _corks++;
        }
    }

    private void Uncork()
    {
        bool startWriter;
        lock (_sendLock)
        {
            _corks--;
            startWriter = _corks == 0 && !_writing && !_sendClosed && _pending.WrittenCount > 0;
            _writing |= startWriter;
        }

        if (startWriter)
        {
            _writer = WriteLoopAsync();
        }
    }

    private async Task WriteLoopAsync()
    {
        // Run the first write inline: the caller's thread hands the batch to the transport with no hop.
        var output = _transport.Output;
        try
        {
            while (true)
            {
                ArrayBufferWriter<byte> batch;
                lock (_sendLock)
                {
                    if (_pending.WrittenCount == 0)
                    {
                        _writing = false;
                        return;
                    }

                    batch = _pending;
                    _pending = _spare ?? new ArrayBufferWriter<byte>(4096);
                    _spare = null;
                }

                var result = await output.WriteAsync(batch.WrittenMemory, _closing.Token).ConfigureAwait(false);
                lock (_sendLock)
                {
                    if (batch.Capacity <= RetainedBatchBytes)
                    {
                        batch.ResetWrittenCount();
                        _spare = batch;
                    }
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    throw ZapException.Disconnected("the transport stopped accepting data");
                }
            }
        }
        catch (Exception e)
        {
            lock (_sendLock)
            {
                _sendClosed = true;
                _writing = false;
            }

            if (!_closing.IsCancellationRequested)
            {
                Shutdown(e is ZapException ? e : ZapException.Disconnected($"writing to the transport failed: {e.Message}", e), abortPeer: null);
            }
        }
    }

    /// <summary>Waits until what was queued before the close has been handed to the transport.</summary>
    private async Task DrainSendsAsync()
    {
        Task writer;
        lock (_sendLock)
        {
            _sendClosed = true;
            writer = _writer;
        }

        await writer.ConfigureAwait(false);
        ArrayBufferWriter<byte> rest;
        lock (_sendLock)
        {
            rest = _pending;
            _pending = new ArrayBufferWriter<byte>(1);
        }

        if (rest.WrittenCount > 0)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _transport.Output.WriteAsync(rest.WrittenMemory, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A peer that is gone or not reading does not get the last messages.
            }
        }
    }

    private void TrySendAbort(Exception reason)
    {
        using var message = RpcCodec.NewMessage(RpcMessageKind.Abort, Rpc.Exception.DataWords, Rpc.Exception.Pointers, out var body);
        RpcCodec.WriteException(body, reason);
        try
        {
            lock (_sendLock)
            {
                if (!_sendClosed)
                {
                    _codec.Write(message, _pending);
                }
            }
        }
        catch (ZapException)
        {
            // Too large to send: the peer learns of the abort from the closed stream.
        }
    }
}
