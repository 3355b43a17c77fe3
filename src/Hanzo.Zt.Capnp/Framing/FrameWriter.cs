using System.Buffers;

namespace Hanzo.Zt.Capnp;

/// <summary>What a <see cref="FrameWriter"/> did with a frame it was given.</summary>
public enum FrameWriteResult
{
    /// <summary>Framed into the outgoing batch.</summary>
    Queued = 0,

    /// <summary>The writer is closed; nothing was queued.</summary>
    Closed = 1,

    /// <summary>The message is over the size limit; nothing was queued and the writer stays open.</summary>
    TooLarge = 2,

    /// <summary>More than the pending limit is waiting for a peer that does not read; the writer is now closed.</summary>
    PeerNotReading = 3,
}

/// <summary>
/// Frames messages into a batch under a lock and writes each batch with one call to the transport, so any number
/// of threads can send and a burst of messages leaves in one write. The first write runs on the sending thread;
/// while it is in progress, later messages gather in a second batch that the same loop writes next. A batch is a chain
/// of pooled arrays, so one that builds up behind a slow transport is never copied to grow, and its memory goes back
/// to the pool once written. Memory stays bounded: a peer that stops reading closes the writer instead of growing the
/// batch without limit.
/// </summary>
public abstract class FrameWriter
{
    private readonly object _lock = new();
    private readonly FrameFormat _format;
    private readonly int _maxMessageBytes;
    private readonly long _maxPendingBytes;
    private readonly int _bufferBytes;
    private readonly Action<Exception>? _onFailed;
    private readonly CancellationToken _cancellationToken;
    private BatchBuffer _pending;
    private BatchBuffer? _spare;
    private bool _writing;
    private bool _closed;
    private bool _peerNotReading;
    private int _corks;
    private Task _writer = Task.CompletedTask;
    private TaskCompletionSource? _roomWaiter;
    private long _progressAt;

    /// <summary>Creates a writer; <paramref name="onFailed"/> hears of a failed write (the writer is closed by then).</summary>
    protected FrameWriter(FrameFormat format, int maxMessageBytes, long maxPendingBytes, Action<Exception>? onFailed, CancellationToken cancellationToken, int bufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPendingBytes, maxMessageBytes);
        _format = format;
        _maxMessageBytes = maxMessageBytes;
        _maxPendingBytes = maxPendingBytes;
        _onFailed = onFailed;
        _cancellationToken = cancellationToken;
        _bufferBytes = bufferBytes;
        _pending = new BatchBuffer(bufferBytes);
        _spare = new BatchBuffer(bufferBytes);
    }

    /// <summary>Bytes queued and not yet handed to the transport: bulk senders wait while this is high.</summary>
    public long PendingBytes
    {
        get
        {
            lock (_lock)
            {
                return _pending.WrittenCount;
            }
        }
    }

    /// <summary>
    /// How long a write under way may go without the transport taking anything before a new frame finds the peer
    /// not reading (<see cref="FrameWriteResult.PeerNotReading"/>) even below the pending limit. Infinite (the
    /// default) leaves only the limit. A peer that reads slowly keeps its writes moving and is never stalled.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>For transports that write a batch in parts: the transport took one, so the write is moving.</summary>
    protected void ReportProgress() => Volatile.Write(ref _progressAt, Environment.TickCount64);

    /// <summary>True once the writer accepts nothing more.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Frames <paramref name="message"/> into the outgoing batch (messages leave in the order of these calls) and,
    /// unless <paramref name="startWriting"/> is false or the writer is corked, makes sure a write is under way.
    /// The caller keeps owning the message.
    /// </summary>
    public FrameWriteResult TryWrite(MessageBuilder message, bool startWriting = true)
    {
        long framed = MessageFraming.FramedSize(message, _format, _maxMessageBytes);
        if (framed < 0)
        {
            return FrameWriteResult.TooLarge;
        }

        long messageBytes = _format == FrameFormat.LengthPrefixed ? framed - 4 : framed;
        bool start;
        lock (_lock)
        {
            if (Refuse(framed) is { } refused)
            {
                return refused;
            }

            MessageFraming.Write(message, messageBytes, _format, _pending);
            start = startWriting && StartsWrite();
        }

        if (start)
        {
            _writer = WriteLoopAsync();
        }

        return FrameWriteResult.Queued;
    }

    /// <summary>
    /// Queues a frame already encoded by the caller: <paramref name="header"/>, then <paramref name="body"/>, then
    /// <paramref name="padding"/> zero bytes, copied once into the outgoing batch. For hot paths that frame a bulk
    /// payload without building a message around it first.
    /// </summary>
    public FrameWriteResult TryWrite(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, int padding)
    {
        long framed = (long)header.Length + body.Length + padding;
        if (framed > _maxMessageBytes + 4L)
        {
            return FrameWriteResult.TooLarge;
        }

        bool start;
        lock (_lock)
        {
            if (Refuse(framed) is { } refused)
            {
                return refused;
            }

            _pending.Write(header);
            _pending.Write(body);
            _pending.WriteZeros(padding);
            start = StartsWrite();
        }

        if (start)
        {
            _writer = WriteLoopAsync();
        }

        return FrameWriteResult.Queued;
    }

    /// <summary>
    /// Under the lock: why a frame of <paramref name="framed"/> bytes cannot be queued, or null when it can. The
    /// pending limit applies while a write is under way (the transport has not taken the last batch yet): bytes that
    /// gather behind a cork or before the first write say nothing about the peer.
    /// </summary>
    private FrameWriteResult? Refuse(long framed)
    {
        if (_closed)
        {
            return FrameWriteResult.Closed;
        }

        if (_writing && (_pending.WrittenCount + framed > _maxPendingBytes || Stalled()))
        {
            _closed = true;
            _peerNotReading = true;
            SignalRoom(); // the lock is reentrant; waiters resume on the pool
            return FrameWriteResult.PeerNotReading;
        }

        return null;
    }

    /// <summary>Under the lock, while writing: the transport has taken nothing for longer than <see cref="StallTimeout"/>.</summary>
    private bool Stalled()
    {
        var timeout = StallTimeout;
        return timeout != Timeout.InfiniteTimeSpan && Environment.TickCount64 - Volatile.Read(ref _progressAt) > (long)timeout.TotalMilliseconds;
    }

    /// <summary>
    /// Under the lock, after queuing: whether the caller starts the write loop. A corked writer starts it too once
    /// <see cref="CorkedBatchBytes"/> have gathered: a batch that size gains nothing by waiting, and the pending limit
    /// must see the transport's pace rather than a cork's.
    /// </summary>
    private bool StartsWrite()
    {
        bool start = !_writing && (_corks == 0 || _pending.WrittenCount >= CorkedBatchBytes);
        if (start)
        {
            _writing = true;
            ReportProgress(); // a write that starts now has not stalled yet
        }

        return start;
    }

    /// <summary>How much a cork holds back before the write starts anyway.</summary>
    private const int CorkedBatchBytes = 256 * 1024;

    /// <summary>
    /// Waits until fewer than <paramref name="belowBytes"/> wait to be written, or the writer is closed (true); false
    /// when the transport took no batch for <paramref name="stallTimeout"/> meanwhile: the peer is not reading. A
    /// producer that can pause (a connection's read loop, before it takes the next call) waits here, so a peer that
    /// reads at its own pace is never cut off as one that stopped. A corked writer does not write: uncork first.
    /// </summary>
    public async ValueTask<bool> WaitForRoomAsync(long belowBytes, TimeSpan stallTimeout, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task room;
            lock (_lock)
            {
                if (_closed || _pending.WrittenCount < belowBytes)
                {
                    return true;
                }

                _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _roomWaiter.Task;
            }

            // Each batch the transport takes wakes this, so the stall clock restarts with every bit of progress.
            try
            {
                await room.WaitAsync(stallTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    /// <summary>Wakes the producers waiting for room (after a batch was written, or at close); they look again.</summary>
    private void SignalRoom()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            (waiter, _roomWaiter) = (_roomWaiter, null);
        }

        waiter?.TrySetResult();
    }

    /// <summary>Holds writes back (nestable) so messages queued meanwhile leave in one write at <see cref="Uncork"/>.</summary>
    public void Cork()
    {
        lock (_lock)
        {
            _corks++;
        }
    }

    /// <summary>Ends one <see cref="Cork"/>; the last one starts the write of what gathered.</summary>
    public void Uncork()
    {
        bool start;
        lock (_lock)
        {
            _corks--;
            start = _corks == 0 && !_closed && _pending.WrittenCount > 0 && StartsWrite();
        }

        if (start)
        {
            _writer = WriteLoopAsync();
        }
    }

    /// <summary>Accepts nothing more; what is queued stays queued for <see cref="CloseAndDrainAsync"/>.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }

        SignalRoom();
    }

    /// <summary>
    /// Closes the writer and hands what was queued before to the transport, waiting at most
    /// <paramref name="timeout"/> in all for the write under way and the last one. Returns false when some of it did
    /// not reach the transport: the peer stopped reading (what is queued is dropped at once), a write failed, or the
    /// writes did not finish in time. The transport may then still hold part of a frame, so its owner should complete
    /// it with an error rather than flush it.
    /// </summary>
    public async Task<bool> CloseAndDrainAsync(TimeSpan timeout)
    {
        Close();
        using var guard = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                Task writer;
                lock (_lock)
                {
                    if (!_writing)
                    {
                        break;
                    }

                    writer = _writer;
                }

                // The write loop reports its own failures and never throws; only the wait can end early. A loop
                // that is running but not yet published as _writer shows as the previous, completed one.
                await (writer.IsCompleted ? Task.Delay(1, guard.Token) : writer.WaitAsync(guard.Token)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        BatchBuffer rest;
        bool peerNotReading;
        lock (_lock)
        {
            rest = _pending;
            _pending = new BatchBuffer(_bufferBytes);
            peerNotReading = _peerNotReading;
        }

        try
        {
            if (peerNotReading)
            {
                return false;
            }

            if (rest.WrittenCount == 0)
            {
                return true;
            }

            await WriteBatchAsync(rest.WrittenSequence, guard.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            // Best effort: the connection is closing either way.
            return false;
        }
        finally
        {
            rest.Reset();
        }
    }

    /// <summary>Writes one batch to the transport; throws when the transport fails or stops accepting data.</summary>
    protected abstract ValueTask WriteBatchAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one batch, which may span several pooled arrays, to the transport. The default writes each part with
    /// <see cref="WriteBatchAsync(ReadOnlyMemory{byte}, CancellationToken)"/>; a transport that can take the parts
    /// and then flush once overrides it.
    /// </summary>
    protected virtual async ValueTask WriteBatchAsync(ReadOnlySequence<byte> batch, CancellationToken cancellationToken)
    {
        foreach (var part in batch)
        {
            await WriteBatchAsync(part, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                BatchBuffer batch;
                lock (_lock)
                {
                    if (_pending.WrittenCount == 0)
                    {
                        _writing = false;
                        return;
                    }

                    batch = _pending;
                    _pending = _spare ?? new BatchBuffer(_bufferBytes);
                    _spare = null;
                }

                var written = batch.WrittenSequence;
                await (written.IsSingleSegment
                    ? WriteBatchAsync(written.First, _cancellationToken)
                    : WriteBatchAsync(written, _cancellationToken)).ConfigureAwait(false);
                batch.Reset();
                ReportProgress();
                lock (_lock)
                {
                    _spare = batch;
                }

                SignalRoom();
            }
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _closed = true;
                _writing = false;
            }

            SignalRoom();
            _onFailed?.Invoke(e);
        }
    }
}
