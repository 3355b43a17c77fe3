using System.Buffers;
using System.IO.Pipelines;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Edge;

/// <summary>
/// One circuit on an edge link, as a duplex byte stream. Flow control is per circuit: the peer may send at
/// most a window beyond what this side has read (<see cref="Window"/>, growing to <see cref="MaxWindow"/> while this
/// side reads as fast as it comes), and this side waits for the peer's credit before sending more, so a slow circuit
/// never holds up the others on the link. Each direction ends on its own: a
/// graceful close (a <c>close</c> frame with value 0) ends the peer's sending only, and this side may go on sending;
/// an abort (a non-zero value, or a lost link) ends both directions.
/// </summary>
public sealed partial class EdgeCircuit : DuplexStream
{
    /// <summary>
    /// Bytes each side may have in flight on a circuit: 2 MiB, so one stream is not held to window / round trip
    /// when a busy router stretches the round trip to milliseconds. Buffered only while a reader lags; an idle
    /// circuit holds none of it. Both ends of a circuit must use the same window.
    /// </summary>
    public const int Window = 2 * 1024 * 1024;

    /// <summary>
    /// The most a circuit's window grows to while its reader keeps up (4 MiB): a receiver adds to the credit it grants,
    /// a step at a time, while the link's <see cref="EdgeLink.WindowGrowthBudget"/> lasts. One busy stream then leaves
    /// fewer of the relay's stages waiting (with the base window alone a relayed stream left a tenth of two cores idle
    /// on loopback), while many streams on one link share the budget, so what a router may hold for a link's circuits
    /// grows by the budget only. The growth is credit like any other, so a peer or router that knows nothing of it
    /// counts it all the same.
    /// </summary>
    public const int MaxWindow = 2 * Window;

    /// <summary>How much a circuit's window grows per grant.</summary>
    private const int GrowthStep = 1024 * 1024;

    /// <summary>The largest payload of one data frame.</summary>
    public const int MaxChunk = 64 * 1024;

    private readonly EdgeLink _link;
    private readonly Pipe _inbound = new(new PipeOptions(pool: TransportBuffers.Memory, pauseWriterThreshold: 0, minimumSegmentSize: 32 * 1024, useSynchronizationContext: false));
    private readonly object _creditLock = new();
    private readonly Action<EdgeCircuit>? _onClosed;
    private TaskCompletionSource? _creditWaiter;
    private long _sendCredit = Window;
    private long _received;
    private long _unreported;
    private ulong _sentSequence;
    private bool _localClosed;
    private bool _localAborted;
    private int _remoteClosed;
    private int _remoteAborted;
    private int _disposed;

    /// <summary>Creates a circuit with id <paramref name="id"/> on <paramref name="link"/>.</summary>
    public EdgeCircuit(EdgeLink link, uint id, Action<EdgeCircuit>? onClosed = null)
    {
        _link = link;
        Id = id;
        _onClosed = onClosed;
    }

    /// <summary>The circuit's id on its link.</summary>
    public uint Id { get; }

    /// <summary>Why the peer closed the circuit, once it has.</summary>
    public string? RemoteCloseReason { get; private set; }

    /// <summary>True once the peer has closed its sending side (gracefully or not).</summary>
    public bool RemoteClosed => Volatile.Read(ref _remoteClosed) == 1;

    /// <summary>True once the peer is gone (aborted, or the link lost): nothing more can be sent.</summary>
    public bool RemoteAborted => Volatile.Read(ref _remoteAborted) == 1;

    /// <summary>Delivers a data frame's payload from the link.</summary>
    /// <exception cref="ZtProtocolException">The peer sent beyond its window.</exception>
    public void OnData(ReadOnlySpan<byte> payload)
    {
        if (RemoteClosed)
        {
            return;
        }

        if (Interlocked.Add(ref _received, payload.Length) > Window + Interlocked.Read(ref _unreportedBase))
        {
            throw new ZtProtocolException($"the peer sent more than its {Window}-byte window on circuit {Id}");
        }

        _inbound.Writer.Write(payload);
        _ = _inbound.Writer.FlushAsync();
    }

    private long _unreportedBase;

    /// <summary>The peer granted more credit.</summary>
    public void OnCredit(ulong bytes)
    {
        TaskCompletionSource? waiter;
        lock (_creditLock)
        {
            _sendCredit += (long)Math.Min(bytes, Window);
            waiter = _creditWaiter;
            _creditWaiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>
    /// The peer closed its sending side (<paramref name="abrupt"/> false: reads end after what was received, and
    /// this side may still send) or is gone (<paramref name="abrupt"/> true: reads and writes fail).
    /// </summary>
    public void OnRemoteClose(string? reason, bool abrupt)
    {
        bool first = Interlocked.Exchange(ref _remoteClosed, 1) == 0;
        if (first)
        {
            RemoteCloseReason = reason;
            _inbound.Writer.Complete(abrupt ? new ZtConnectionException(ZtErrorCode.ConnectionClosed, $"the circuit was closed: {reason}") : null);
        }

        if (abrupt && Interlocked.Exchange(ref _remoteAborted, 1) == 0)
        {
            RemoteCloseReason ??= reason;
            TaskCompletionSource? waiter;
            lock (_creditLock)
            {
                waiter = _creditWaiter;
                _creditWaiter = null;
            }

            waiter?.TrySetResult();
        }

        if (first && _localClosed)
        {
            _onClosed?.Invoke(this);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        HoldRead();
        int n;
        try
        {
            var result = await _inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            n = (int)Math.Min(buffer.Length, data.Length);
            data.Slice(0, n).CopyTo(buffer.Span);
            _inbound.Reader.AdvanceTo(data.GetPosition(n));
        }
        finally
        {
            ReleaseRead();
        }

        if (n > 0)
        {
            Grant(n);
        }

        return n;
    }

    private void Grant(long consumed)
    {
        long unreported = Interlocked.Add(ref _unreported, consumed);
        if (unreported >= Window / 4 && !RemoteClosed)
        {
            Interlocked.Add(ref _unreported, -unreported);
            long credit = unreported + Grow();
            Interlocked.Add(ref _unreportedBase, credit);
            // A credit frame carries at most a window: routers and peers count no more from one.
            for (; credit > 0; credit -= Window)
            {
                _link.Send(EdgeFrameKind.Credit, Id, (ulong)Math.Min(credit, Window));
            }
        }
    }

    /// <summary>Credit beyond the base window granted so far; returned to the link's budget when the circuit ends.</summary>
    private long _growth;

    /// <summary>
    /// Takes a step of window growth from the link's budget while this circuit is below <see cref="MaxWindow"/>:
    /// called as the reader consumes, so only a circuit whose reader keeps up grows.
    /// </summary>
    private long Grow()
    {
        long room = MaxWindow - Window - Volatile.Read(ref _growth);
        if (room <= 0 || Volatile.Read(ref _disposed) != 0)
        {
            return 0;
        }

        long step = _link.TakeWindowGrowth(Math.Min(GrowthStep, room));
        Interlocked.Add(ref _growth, step);
        if (Volatile.Read(ref _disposed) != 0)
        {
            ReleaseGrowth(); // disposed meanwhile: what disposal did not give back goes back now
        }

        return step;
    }

    /// <summary>Gives this circuit's window growth back to the link's budget (once: a second call gives nothing).</summary>
    private void ReleaseGrowth() => _link.ReturnWindowGrowth(Interlocked.Exchange(ref _growth, 0));

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync(ReadOnlyMemory<byte>.Empty, buffer, cancellationToken);

    /// <summary>
    /// Writes <paramref name="first"/> and then <paramref name="second"/> as one run of the stream, copied once into
    /// the link's outgoing batch: a caller that frames its own data (a header before a body) needs no buffer of its
    /// own to join them. Data frames follow the circuit's credit, so the run may leave in several frames.
    /// </summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken = default)
    {
        while (!first.IsEmpty || !second.IsEmpty)
        {
            int chunk = TakeCredit(first.Length, second.Length, out var wait);
            if (wait is not null)
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            int head = SendChunk(chunk, first.Span, second.Span);
            first = first[head..];
            second = second[(chunk - head)..];
        }
    }

    /// <inheritdoc />
    /// <remarks>Blocks while the circuit waits for the peer's credit.</remarks>
    public override void Write(ReadOnlySpan<byte> buffer) => Write(ReadOnlySpan<byte>.Empty, buffer);

    /// <inheritdoc />
    /// <remarks>Blocks while the circuit waits for the peer's credit.</remarks>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(ReadOnlySpan<byte>.Empty, buffer.AsSpan(offset, count));
    }

    /// <summary>
    /// Writes <paramref name="first"/> and then <paramref name="second"/> as one run of the stream, as
    /// <see cref="WriteAsync(ReadOnlyMemory{byte}, ReadOnlyMemory{byte}, CancellationToken)"/> does, but blocking the
    /// calling thread while the circuit waits for credit: for callers on a thread of their own.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This side's sending is closed.</exception>
    /// <exception cref="ZtConnectionException">The peer is gone, or the edge link to the router is closed.</exception>
    public void Write(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        while (!first.IsEmpty || !second.IsEmpty)
        {
            int chunk = TakeCredit(first.Length, second.Length, out var wait);
            if (wait is not null)
            {
                wait.Wait();
                continue;
            }

            int head = SendChunk(chunk, first, second);
            first = first[head..];
            second = second[(chunk - head)..];
        }
    }

    /// <summary>
    /// Takes the circuit's credit for the next data frame of a run whose parts are <paramref name="first"/> and
    /// <paramref name="second"/> bytes long: returns the frame's length, or 0 with <paramref name="wait"/> completing
    /// when credit comes (or the circuit ends).
    /// </summary>
    private int TakeCredit(int first, int second, out Task? wait)
    {
        lock (_creditLock)
        {
            if (_localClosed)
            {
                throw new ObjectDisposedException(nameof(EdgeCircuit), "the circuit's sending side is closed");
            }

            if (RemoteAborted)
            {
                throw new ZtConnectionException(ZtErrorCode.ConnectionClosed, $"the circuit was closed: {RemoteCloseReason}");
            }

            // A first part longer than a data frame's prefix leaves on its own.
            long run = first > EdgeLink.MaxDataPrefixBytes ? first : first + second;
            int chunk = (int)Math.Min(Math.Min(run, MaxChunk), _sendCredit);
            if (chunk == 0)
            {
                _creditWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _creditWaiter.Task;
                return 0;
            }

            _sendCredit -= chunk;
            wait = null;
            return chunk;
        }
    }

    /// <summary>
    /// Queues a data frame of <paramref name="chunk"/> bytes (credit taken): what it takes of <paramref name="first"/>,
    /// then of <paramref name="second"/>. Returns how many bytes of <paramref name="first"/> it took.
    /// </summary>
    private int SendChunk(int chunk, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        int head = Math.Min(chunk, first.Length);
        bool queued = head > EdgeLink.MaxDataPrefixBytes
            ? _link.SendData(Id, first[..head], _sentSequence)
            : _link.SendData(Id, first[..head], second[..(chunk - head)], _sentSequence);
        if (!queued)
        {
            throw new ZtConnectionException(ZtErrorCode.ConnectionClosed, "the edge link to the router is closed");
        }

        _sentSequence += (ulong)chunk;
        return head;
    }

    /// <summary>
    /// Writes <paramref name="first"/> and then <paramref name="second"/> as one data frame at once, when the circuit's
    /// credit covers both and they fit one frame (<paramref name="first"/> at most <see cref="EdgeLink.MaxDataPrefixBytes"/>,
    /// both together at most <see cref="MaxChunk"/>). Returns false, with nothing written, when the run has to wait for
    /// credit or the circuit is closed: <see cref="WriteAsync(ReadOnlyMemory{byte}, ReadOnlyMemory{byte}, CancellationToken)"/>
    /// then waits, or says why. Not to be called while another write on the circuit is under way.
    /// </summary>
    /// <exception cref="ZtConnectionException">The edge link to the router is closed.</exception>
    public bool TryWrite(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        int run = first.Length + second.Length;
        if (run == 0)
        {
            return true;
        }

        if (first.Length > EdgeLink.MaxDataPrefixBytes || run > MaxChunk)
        {
            return false;
        }

        lock (_creditLock)
        {
            if (_localClosed || RemoteAborted || run > _sendCredit)
            {
                return false;
            }

            _sendCredit -= run;
        }

        SendChunk(run, first, second);
        return true;
    }

    /// <summary>
    /// Tells the router how many calls this side has served on the circuit so far (a running total, so a repeated
    /// or late report changes nothing). Only a host's report counts: the router bills it to the dialer's session
    /// and ignores reports from the dialing side.
    /// </summary>
    public void ReportCallsServed(long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        _link.Send(EdgeFrameKind.Usage, Id, (ulong)total);
    }

    /// <summary>
    /// On a host's circuit, tells the router the bytes exchanged with the dialer on a direct path so far (running
    /// totals), so the router bills them as if it had relayed them.
    /// </summary>
    /// <param name="fromDialer">Bytes received from the dialer directly.</param>
    /// <param name="toDialer">Bytes sent to the dialer directly.</param>
    public void ReportDirectBytes(long fromDialer, long toDialer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromDialer);
        ArgumentOutOfRangeException.ThrowIfNegative(toDialer);
        _link.Send(EdgeFrameKind.DirectUsage, Id, (ulong)toDialer, sequence: (ulong)fromDialer);
    }

    /// <summary>Closes this side's sending half: the peer reads to the end and then sees end of stream.</summary>
    public void CloseWrite(string reason = "closed")
    {
        lock (_creditLock)
        {
            if (_localClosed)
            {
                return;
            }

            _localClosed = true;
        }

        _link.Send(EdgeFrameKind.Close, Id, payload: System.Text.Encoding.UTF8.GetBytes(reason));
        if (RemoteClosed)
        {
            _onClosed?.Invoke(this);
        }
    }

    /// <summary>Ends both directions: the peer's reads and writes on the circuit fail with <paramref name="reason"/>.</summary>
    /// <remarks>A write waiting for credit fails at once with <see cref="ObjectDisposedException"/>; a second abort does nothing.</remarks>
    public void Abort(string reason)
    {
        TaskCompletionSource? waiter;
        lock (_creditLock)
        {
            if (_localAborted)
            {
                return;
            }

            _localAborted = true;
            _localClosed = true;
            (waiter, _creditWaiter) = (_creditWaiter, null);
        }

        waiter?.TrySetResult();
        _link.Send(EdgeFrameKind.Close, Id, (ulong)ZtErrorCode.ConnectionClosed, payload: System.Text.Encoding.UTF8.GetBytes(reason));
        if (RemoteClosed)
        {
            _onClosed?.Invoke(this);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (RemoteClosed)
            {
                CloseWrite();
            }
            else
            {
                // The peer may still be sending, or waiting for credit to: tell it nobody is reading any more.
                Abort("the peer closed the circuit");
            }

            OnRemoteClose("closed locally", abrupt: false);
            EndReader();
            ReleaseGrowth();
        }

        base.Dispose(disposing);
    }

}
