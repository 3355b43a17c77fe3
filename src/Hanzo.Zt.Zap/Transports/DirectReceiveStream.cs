using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Hanzo.Zt.Zap.Transports;

/// <summary>
/// A socket stream whose reads complete on a thread of the connection's own, blocked in the kernel on the socket
/// until data arrives, and whose continuation (the connection's read loop) runs there at once: the kernel wakes
/// the thread that handles the message, with no hand-off from the runtime's polling thread to the thread pool.
/// The callers whose answers a read delivered resume on that thread too, after the read loop has asked for its next
/// read (<see cref="Resume"/>); the <see cref="ResumeWatchdog"/> moves that read to a new thread when a caller holds
/// the thread up.
/// </summary>
/// <remarks>
/// Threads come from a bounded <see cref="ReceiveThreadBudget"/>: a connection takes one on a read while one is
/// free, and keeps it, blocked in the kernel at no cost, until the stream is disposed or, when no data came for the
/// idle timeout, another connection wants a thread; then it hands a read still pending to
/// <see cref="NetworkStream"/>. A connection without one reads as a <see cref="NetworkStream"/> does, completing
/// on the thread pool, and takes a thread again on a later read once one is free. Writes are the
/// <see cref="NetworkStream"/>'s. Like any stream, it takes one read at a time.
/// <para>
/// An idle thread does not give its slot up for nothing: the first read a socket takes through the pool registers
/// it with the runtime's polling thread for good, which from then on wakes for every message that arrives as well
/// (measured: p50 round trip from about 56 µs to 80 to 95 µs on two cores, for the rest of the connection).
/// </para>
/// </remarks>
internal sealed class DirectReceiveStream : NetworkStream, IValueTaskSource<int>
{
    /// <summary>How long a receiving thread waits for data by default before it gives its budget slot to a connection that wants one.</summary>
    internal static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(2);

    private const int NoRead = 0;
    private const int Waiting = 1;
    private const int Receiving = 2;

    private readonly ReceiveThreadBudget _budget;
    private readonly long _idleMillis;
    private readonly object _gate = new();
    private ManualResetValueTaskSourceCore<int> _source; // continuations run inline, on the receiving thread
    private Memory<byte> _buffer;
    private CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private int _state;
    private int _owner; // the id of the thread that reads for this stream, 0 when none (under _gate)
    private int _lastThreadId;
    private long _callersSince; // when this stream's thread began running callers it resumed, 0 when it is not
    private long _callersLast; // when it last ran any (the watchdog's idea of activity)
    private bool _threadRunning;
    private bool _threadParked;
    private volatile bool _disposed;

    public DirectReceiveStream(Socket socket, ReceiveThreadBudget budget, TimeSpan? idleTimeout = null)
        : base(socket, ownsSocket: true)
    {
        _budget = budget;
        _idleMillis = (long)(idleTimeout ?? DefaultIdleTimeout).TotalMilliseconds;
    }

    /// <summary>Whether a thread of this stream's own is running (waiting for, or taking, reads).</summary>
    internal bool HasThread
    {
        get
        {
            lock (_gate)
            {
                return _threadRunning;
            }
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        bool start;
        int id = 0;
        lock (_gate)
        {
            start = !_threadRunning;
            if (_disposed || buffer.IsEmpty || cancellationToken.IsCancellationRequested || (start && !_budget.TryTake()))
            {
                goto Plain;
            }

            if (start)
            {
                _owner = id = NextThreadId();
            }

            _threadRunning = true;
            _source.Reset();
            _buffer = buffer;
            _cancellationToken = cancellationToken;

            // Registered before the read is published, so a registration left from an earlier read never finds this one.
            _registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((DirectReceiveStream)s!).Cancel(), this)
                : default;
            Volatile.Write(ref _state, Waiting);
            if (_threadParked)
            {
                Monitor.Pulse(_gate);
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            Cancel(); // canceled before the read was published: the callback found nothing to cancel
        }

        if (start)
        {
            StartThread(id);
        }

        return new ValueTask<int>(this, _source.Version);

    Plain:
        return base.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    private void Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, NoRead, Waiting) == Waiting)
        {
            // Not inline: the canceling thread must not run the reader's continuation inside Cancel().
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.FailCanceled(), this, preferLocal: false);
        }
    }

    private ObjectDisposedException Disposed() => new(GetType().FullName);

    private void FailCanceled() => _source.SetException(new OperationCanceledException(_cancellationToken));

    private int NextThreadId()
    {
        int id = ++_lastThreadId;
        return id == 0 ? ++_lastThreadId : id;
    }

    private void StartThread(int id) =>
        new Thread(static s => { var (stream, id) = ((DirectReceiveStream, int))s!; stream.ReceiveLoop(id); }) { IsBackground = true, Name = "ZAP receive" }.UnsafeStart((this, id));

    private void ReceiveLoop(int me)
    {
        long lastData = Environment.TickCount64;
        t_deferred ??= [];
        try
        {
            while (Volatile.Read(ref _owner) == me)
            {
                if (Volatile.Read(ref _state) != Waiting && !WaitForRead(me))
                {
                    return;
                }

                if (!PollReadable(ref lastData, me) || Volatile.Read(ref _owner) != me)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref _state, Receiving, Waiting) != Waiting)
                {
                    continue; // canceled while polling
                }

                _registration.Dispose();
                int received;
                try
                {
                    received = Socket.Receive(_buffer.Span, SocketFlags.None);
                }
                catch (Exception e)
                {
                    Volatile.Write(ref _state, NoRead);
                    Deliver(0, _disposed ? Disposed() : e is SocketException s ? new IOException($"Unable to read data from the transport connection: {s.Message}.", s) : e);
                    continue;
                }

                lastData = Environment.TickCount64;
                Volatile.Write(ref _state, NoRead);
                Deliver(received, received == 0 && _disposed ? Disposed() : null); // an end the close made is not the peer's
            }
        }
        finally
        {
            _budget.Release();
        }
    }

    /// <summary>
    /// Completes the read: the reader's continuation (the connection's read loop) runs here and usually asks for the
    /// next read before it returns. The callers whose answers it took resume afterwards, here too (see
    /// <see cref="Resume"/>), once the read loop no longer runs on this thread.
    /// </summary>
    private void Deliver(int received, Exception? error)
    {
        var deferred = t_deferred!;
        t_completing = true;
        try
        {
            if (error is null)
            {
                _source.SetResult(received);
            }
            else
            {
                _source.SetException(error);
            }
        }
        finally
        {
            t_completing = false;
        }

        if (deferred.Count > 0)
        {
            RunCallers(deferred);
        }
    }

    private void RunCallers(List<(Action<object?> Continuation, object? State)> deferred)
    {
        long now = Environment.TickCount64;
        Volatile.Write(ref _callersLast, now);
        Volatile.Write(ref _callersSince, now);
        ResumeWatchdog.Watch(this);
        try
        {
            // A caller cannot add to the list: only a read's completion defers, and none runs while callers do.
            for (int i = 0; i < deferred.Count; i++)
            {
                var (continuation, state) = deferred[i];
                deferred[i] = default;
                continuation(state);
            }
        }
        finally
        {
            deferred.Clear();

            // Unless a thread that took over since (see RescueIfStuck) has begun running callers of its own.
            Interlocked.CompareExchange(ref _callersSince, 0, now);
        }
    }

    /// <summary>The callers resumed by the read this thread is completing, when it is a receiving thread (else null).</summary>
    [ThreadStatic]
    private static List<(Action<object?> Continuation, object? State)>? t_deferred;

    /// <summary>True while this thread completes a read (the read loop runs on it).</summary>
    [ThreadStatic]
    private static bool t_completing;

    /// <summary>
    /// Resumes a caller whose answer arrived: on a receiving thread completing a read, after that read's completion
    /// (the connection's read loop has then asked for its next read, or is waiting on something else) and on this
    /// thread, with no hand-off; anywhere else through the thread pool, as an await would.
    /// </summary>
    /// <remarks>
    /// A caller that blocks there, or runs long, would hold up its connection's next read: the
    /// <see cref="ResumeWatchdog"/> then gives that read to a new thread.
    /// </remarks>
    internal static void Resume(Action<object?> continuation, object? state)
    {
        if (t_completing)
        {
            t_deferred!.Add((continuation, state));
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: true);
        }
    }

    /// <summary>
    /// Called by the watchdog: when this stream's thread has been running callers since before
    /// <paramref name="stuckSince"/> and the connection wants its next read, gives the read to a new thread (or,
    /// with the budget spent, to the thread pool) and lets the busy thread end once its caller returns.
    /// </summary>
    internal void RescueIfStuck(long stuckSince)
    {
        long since = Volatile.Read(ref _callersSince);
        if (since == 0 || since > stuckSince || Volatile.Read(ref _state) != Waiting)
        {
            return;
        }

        int id = 0;
        lock (_gate)
        {
            if (_disposed || Volatile.Read(ref _callersSince) != since || Volatile.Read(ref _state) != Waiting)
            {
                return;
            }

            if (_budget.TryTake())
            {
                _owner = id = NextThreadId();
            }
            else if (!TryReleaseThreadLocked())
            {
                return;
            }
        }

        if (id != 0)
        {
            StartThread(id);
        }
        else
        {
            ReadThroughPool();
        }
    }

    /// <summary>Whether this stream's thread ran callers in the last <paramref name="sinceTicks"/>, or runs them now.</summary>
    internal bool RanCallersSince(long sinceTicks) => Volatile.Read(ref _callersSince) != 0 || Volatile.Read(ref _callersLast) >= sinceTicks;

    internal bool IsDisposed => _disposed;

    /// <summary>Whether the <see cref="ResumeWatchdog"/> watches this stream (written under its lock).</summary>
    internal bool Watched { get; set; }

    /// <summary>Parks until a read is asked for; false when the stream is disposed or no read came for the idle timeout.</summary>
    private bool WaitForRead(int me)
    {
        lock (_gate)
        {
            while (Volatile.Read(ref _state) != Waiting || _owner != me)
            {
                if (_owner != me)
                {
                    return false; // another thread reads for this stream now
                }

                if (_disposed)
                {
                    _threadRunning = false;
                    _owner = 0;
                    return false;
                }

                _threadParked = true;
                bool woken = Monitor.Wait(_gate, (int)_idleMillis);
                _threadParked = false;
                if (!woken && _owner == me && Volatile.Read(ref _state) != Waiting && _budget.TryClaimDemand())
                {
                    _threadRunning = false;
                    _owner = 0;
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Blocks until the socket is readable, the read is canceled, or the stream is disposed (true); or, when no data
    /// came for the idle timeout and another connection wants a thread, hands the pending read to
    /// <see cref="NetworkStream"/> and lets the thread go (false).
    /// </summary>
    private bool PollReadable(ref long lastData, int me)
    {
        while (true)
        {
            // Up to the end of the idle timeout; past it, a timeout at a time, to look for demand between them.
            long remaining = _idleMillis - (Environment.TickCount64 - lastData);
            int waitMicros = (int)Math.Min(int.MaxValue, Math.Max(1_000, (remaining > 0 ? remaining : _idleMillis) * 1_000));
            bool readable;
            try
            {
                readable = Socket.Poll(waitMicros, SelectMode.SelectRead);
            }
            catch (Exception)
            {
                readable = true; // disposed or failed: the receive reports it
            }

            if (readable || _disposed || Volatile.Read(ref _state) != Waiting || Volatile.Read(ref _owner) != me)
            {
                return true;
            }

            if (Environment.TickCount64 - lastData < _idleMillis || !_budget.TryClaimDemand())
            {
                continue;
            }

            lock (_gate)
            {
                if (_owner != me)
                {
                    return false; // another thread reads for this stream now
                }

                if (!TryReleaseThreadLocked())
                {
                    return true; // canceled meanwhile: the loop parks or takes the next read
                }
            }

            ReadThroughPool();
            return false;
        }
    }

    /// <summary>
    /// Under the gate: takes the pending read from this stream's thread, which then ends, so that the pool can take
    /// it (<see cref="ReadThroughPool"/>); false when no read is pending (canceled meanwhile).
    /// </summary>
    private bool TryReleaseThreadLocked()
    {
        if (Interlocked.CompareExchange(ref _state, Receiving, Waiting) != Waiting)
        {
            return false;
        }

        _threadRunning = false;
        _owner = 0;
        return true;
    }

    /// <summary>Hands the read taken by <see cref="TryReleaseThreadLocked"/> to <see cref="NetworkStream"/>.</summary>
    private void ReadThroughPool()
    {
        _registration.Dispose();
        _ = CompleteOnPoolAsync(base.ReadAsync(_buffer, _cancellationToken));
    }

    private async Task CompleteOnPoolAsync(ValueTask<int> read)
    {
        int received;
        try
        {
            received = await read.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Volatile.Write(ref _state, NoRead);
            _source.SetException(e);
            return;
        }

        Volatile.Write(ref _state, NoRead);
        _source.SetResult(received);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _disposed = true;
                Monitor.PulseAll(_gate);
            }
        }

        base.Dispose(disposing);
    }

    int IValueTaskSource<int>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);
}
