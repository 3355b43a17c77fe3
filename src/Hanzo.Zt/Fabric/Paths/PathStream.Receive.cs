using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Fabric.Paths;

/// <summary>
/// The receiving side: frames from the relay and from a direct path, put back in stream order. A path's reader never
/// waits for the application while it has frames to take in (acknowledgements behind unread data are what let this
/// side's own writes go on): the direct path's bytes are bounded by the sender's <see cref="Window"/> of unread bytes,
/// and the relay's reader alone waits once <see cref="RelayUnreadLimit"/> bytes are unread, leaving the circuit's
/// credit to hold the router back.
/// </summary>
internal sealed partial class PathStream
{
    /// <summary>How many bytes the application reads before this side acknowledges them.</summary>
    private const ulong AckEvery = 256 * 1024;

    /// <summary>Unread bytes at which the relay's reader waits for the application (and resumes below half).</summary>
    private const long RelayUnreadLimit = 1024 * 1024;

    private readonly Pipe _inbound = new(new PipeOptions(pool: TransportBuffers.Memory, pauseWriterThreshold: 0, minimumSegmentSize: 32 * 1024, useSynchronizationContext: false));
    private readonly SemaphoreSlim _deliverLock = new(1, 1);
    private readonly SortedDictionary<ulong, byte[]> _held = new();
    private readonly object _readerLock = new();
    private TaskCompletionSource? _readerWaiter;
    private ulong _delivered;
    private ulong _read;
    private long _unread;
    private bool _sawDirect;
    private ulong _lastAck;
    private ulong? _finAt;
    private bool _inboundDone;
    private int _acking;
    private int _ackRequested;

    /// <inheritdoc />
    /// <remarks>Bytes already delivered are read before this returns; only a read that waits for them goes asynchronously.</remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!cancellationToken.IsCancellationRequested && _inbound.Reader.TryRead(out var result) && TryTake(result, buffer.Span, out int n))
            {
                return new ValueTask<int>(n);
            }
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }

        return ReadWaitingAsync(buffer, cancellationToken);
    }

    private async ValueTask<int> ReadWaitingAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryTake(result, buffer.Span, out int n))
            {
                return n;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Blocks the calling thread until bytes are delivered (or the stream ends): for callers that read on a thread of
    /// their own, through TLS's own blocking read, with no asynchronous step while bytes are already here.
    /// </remarks>
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (!_inbound.Reader.TryRead(out var result))
            {
                var reading = _inbound.Reader.ReadAsync();
                result = reading.IsCompleted ? reading.GetAwaiter().GetResult() : reading.AsTask().GetAwaiter().GetResult();
            }

            if (TryTake(result, buffer, out int n))
            {
                return n;
            }
        }
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <summary>True while delivered bytes wait for the application to read them.</summary>
    public bool HasUnread => Interlocked.Read(ref _unread) > 0;

    /// <summary>
    /// Copies what fits of <paramref name="result"/>, the inbound pipe's read, into <paramref name="buffer"/> and
    /// consumes it (<paramref name="n"/> bytes, 0 at the end of the stream); false, with the read given back, when it
    /// holds nothing and the stream goes on.
    /// </summary>
    private bool TryTake(ReadResult result, Span<byte> buffer, out int n)
    {
        var data = result.Buffer;
        if (data.IsEmpty && !result.IsCompleted)
        {
            _inbound.Reader.AdvanceTo(data.Start);
            n = 0;
            return false;
        }

        n = (int)Math.Min(buffer.Length, data.Length);
        data.Slice(0, n).CopyTo(buffer);
        _inbound.Reader.AdvanceTo(data.GetPosition(n));
        OnRead(n);
        return true;
    }

    /// <summary>The application read <paramref name="n"/> bytes: the relay's reader may go on, and the peer hears of it.</summary>
    private void OnRead(int n)
    {
        ulong read = Interlocked.Add(ref _read, (ulong)n);
        if (Interlocked.Add(ref _unread, -n) < RelayUnreadLimit / 2)
        {
            TaskCompletionSource? waiter;
            lock (_readerLock)
            {
                (waiter, _readerWaiter) = (_readerWaiter, null);
            }

            waiter?.TrySetResult();
        }

        if ((Volatile.Read(ref _sawDirect) || _direct is not null) && read - Volatile.Read(ref _lastAck) >= AckEvery)
        {
            Acknowledge();
        }
    }

    /// <summary>Holds the relay's reader while the application has <see cref="RelayUnreadLimit"/> bytes or more unread.</summary>
    private ValueTask WaitForReaderAsync() =>
        Interlocked.Read(ref _unread) < RelayUnreadLimit ? default : WaitForReaderSlowAsync();

    private async ValueTask WaitForReaderSlowAsync()
    {
        while (Interlocked.Read(ref _unread) >= RelayUnreadLimit)
        {
            Task wait;
            lock (_readerLock)
            {
                if (Interlocked.Read(ref _unread) < RelayUnreadLimit / 2)
                {
                    return;
                }

                _readerWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _readerWaiter.Task;
            }

            await wait.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Reads frames from one path until it ends; <paramref name="via"/> is null for the relay.</summary>
    private async Task<Exception?> PumpAsync(PipeReader reader, DirectPath? via)
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (PathFrame.TryRead(ref buffer, out var kind, out var payload, checksummed: via is not null))
                {
                    await OnFrameAsync(kind, payload, via).ConfigureAwait(false);
                    if (via is null && kind == PathFrameKind.Data)
                    {
                        await WaitForReaderAsync().ConfigureAwait(false);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || (via is not null && via.IsLost))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is ZtException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            failure = e;
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        if (via is null)
        {
            // The relay is the path that always works: when it ends (or a router cuts it), so does the connection,
            // direct path included, after what was delivered.
            await EndInboundAsync(failure).ConfigureAwait(false);
            await DropDirectAsync().ConfigureAwait(false);
            foreach (var ping in _pings.Values)
            {
                ping.TrySetException(new ZtConnectionException(ZtErrorCode.ConnectionClosed, "the connection closed before the ping was answered"));
            }
        }

        return failure;
    }

    /// <summary>Handles one frame; only data and the end of the stream may have to wait (for the delivery lock).</summary>
    private ValueTask OnFrameAsync(PathFrameKind kind, ReadOnlySequence<byte> payload, DirectPath? via)
    {
        switch (kind)
        {
            case PathFrameKind.Data:
                return DeliverAsync(PathFrame.Number(payload), payload.Slice(8), fromDirect: via is not null);
            case PathFrameKind.Ack:
                OnAck(read: PathFrame.Number(payload), delivered: PathFrame.Number(payload.Slice(8)));
                break;
            case PathFrameKind.Fin:
                return FinAsync(PathFrame.Number(payload));
            case PathFrameKind.Signal:
                _signals.Writer.TryWrite(payload.ToArray());
                break;
            case PathFrameKind.Ping:
                Pong(PathFrame.Number(payload), via);
                break;
            case PathFrameKind.Pong:
                if (_pings.TryGetValue(PathFrame.Number(payload), out var answer))
                {
                    answer.TrySetResult();
                }

                break;
            case PathFrameKind.PathDown:
                if (_direct is { } direct)
                {
                    _ = FallBackAsync(direct, tellPeer: false);
                }

                break;
        }

        return default;
    }

    /// <summary>
    /// Answers a ping on the path it came by, without holding up the pump. Its own method: a lambda capturing the
    /// pump's arguments would make every frame allocate the closure, pings or not.
    /// </summary>
    private void Pong(ulong nonce, DirectPath? via)
    {
        var pong = PathFrame.Build(PathFrameKind.Pong, nonce, default);
        _ = Task.Run(async () =>
        {
            try
            {
                await (via?.Sink ?? _relay).SendAsync(pong, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ZtException or IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });
    }

    /// <summary>
    /// Puts a data frame's bytes in stream order: delivered to the application's pipe when they are next, held when
    /// bytes before them are missing, dropped when already delivered. With the delivery lock free (the relay's pump is
    /// alone unless a direct path runs beside it) this completes before it returns.
    /// </summary>
    private ValueTask DeliverAsync(ulong offset, ReadOnlySequence<byte> bytes, bool fromDirect)
    {
        if (_stop.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(_stop.Token);
        }

        if (!_deliverLock.Wait(0))
        {
            return DeliverWhenFreeAsync(offset, bytes, fromDirect);
        }

        bool delivered;
        try
        {
            delivered = DeliverLocked(offset, bytes, fromDirect);
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
        finally
        {
            _deliverLock.Release();
        }

        if (delivered)
        {
            Delivered(fromDirect);
        }

        return default;
    }

    private async ValueTask DeliverWhenFreeAsync(ulong offset, ReadOnlySequence<byte> bytes, bool fromDirect)
    {
        await _deliverLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        bool delivered;
        try
        {
            delivered = DeliverLocked(offset, bytes, fromDirect);
        }
        finally
        {
            _deliverLock.Release();
        }

        if (delivered)
        {
            Delivered(fromDirect);
        }
    }

    /// <summary>The part of a delivery done under the delivery lock; false when the bytes were dropped or held.</summary>
    private bool DeliverLocked(ulong offset, ReadOnlySequence<byte> bytes, bool fromDirect)
    {
        if (_inboundDone)
        {
            return false;
        }

        ulong end = offset + (ulong)bytes.Length;
        if (end <= _delivered)
        {
            return false;
        }

        if (fromDirect)
        {
            Volatile.Write(ref _sawDirect, true);

            // Bytes new to this side, held or delivered at once: what a retransmission on the relay repeats is not.
            Interlocked.Add(ref _directReceived, (long)(end - Math.Max(offset, _delivered)));
        }

        if (offset > _delivered)
        {
            if (!_held.TryGetValue(offset, out var known) || known.Length < bytes.Length)
            {
                _held[offset] = bytes.ToArray();
            }

            return false;
        }

        Write(bytes.Slice((long)(_delivered - offset)));
        _delivered = end;
        while (_held.Count > 0)
        {
            var (at, held) = _held.First();
            if (at > _delivered)
            {
                break;
            }

            _held.Remove(at);
            if (at + (ulong)held.Length > _delivered)
            {
                Write(new ReadOnlySequence<byte>(held, (int)(_delivered - at), held.Length - (int)(_delivered - at)));
                _delivered = at + (ulong)held.Length;
            }
        }

        // The pipe never holds its writer back (no pause threshold): the flush only wakes the reader, at once.
        var flush = _inbound.Writer.FlushAsync(CancellationToken.None);
        Debug.Assert(flush.IsCompleted, "the inbound pipe has no pause threshold, so its flush never waits");
        flush.GetAwaiter().GetResult();
        if (_finAt is { } fin && _delivered >= fin)
        {
            _inboundDone = true;
            _inbound.Writer.Complete();
        }

        return true;
    }

    /// <summary>What follows a delivery, outside the lock: direct bytes reported, and the end acknowledged.</summary>
    private void Delivered(bool fromDirect)
    {
        if (fromDirect)
        {
            ReportDirectBytes(final: false);
        }

        if ((fromDirect || _direct is not null) && _inboundDone)
        {
            Acknowledge();
        }
    }

    private void Write(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            _inbound.Writer.Write(segment.Span);
        }

        Interlocked.Add(ref _unread, bytes.Length);
    }

    /// <summary>
    /// Sends the offsets read and delivered to the peer, on the direct path when there is one; never blocks the pump.
    /// One sender at a time; a request made while it runs, even as it finishes, gets an acknowledgement sent after
    /// it: the peer's direct writes may be waiting on exactly that one, with nothing left to read that would ask again.
    /// </summary>
    private void Acknowledge()
    {
        Volatile.Write(ref _ackRequested, 1);
        if (Interlocked.Exchange(ref _acking, 1) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            var delivered = new byte[8];
            do
            {
                try
                {
                    ulong at;
                    do
                    {
                        Volatile.Write(ref _ackRequested, 0);
                        at = Interlocked.Read(ref _read);
                        Volatile.Write(ref _lastAck, at);
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(delivered, Volatile.Read(ref _delivered));
                        // On the path being read, even before this side sends on it: the relay may be out of credit.
                        var sink = Volatile.Read(ref _directIn) is { IsLost: false } direct ? direct.Sink : _relay;
                        await sink.SendAsync(PathFrame.Build(PathFrameKind.Ack, at, delivered), _stop.Token).ConfigureAwait(false);
                    }
                    while (Volatile.Read(ref _ackRequested) != 0 || Interlocked.Read(ref _read) - at >= AckEvery);
                }
                catch (Exception e) when (e is ZtException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    return; // the path failed (a later request may go on the relay) or the connection is over
                }
                finally
                {
                    Volatile.Write(ref _acking, 0);
                }
            }
            while (Volatile.Read(ref _ackRequested) != 0 && Interlocked.Exchange(ref _acking, 1) == 0);
        });
    }

    private async ValueTask FinAsync(ulong at)
    {
        await _deliverLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            _finAt = at;
            if (!_inboundDone && _delivered >= at)
            {
                _inboundDone = true;
                await _inbound.Writer.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _deliverLock.Release();
        }

        // The peer keeps what it sent directly until acknowledged: say at once that all of it arrived.
        if (_direct is not null || Volatile.Read(ref _sawDirect))
        {
            Acknowledge();
        }
    }

    private async ValueTask EndInboundAsync(Exception? failure)
    {
        try
        {
            await _deliverLock.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (!_inboundDone)
            {
                _inboundDone = true;
                await _inbound.Writer.CompleteAsync(failure is null ? null
                    : failure as ZtException ?? new ZtConnectionException(ZtErrorCode.ConnectionClosed, $"the circuit was closed: {failure.Message}", failure)).ConfigureAwait(false);
            }
        }
        finally
        {
            _deliverLock.Release();
        }
    }
}
