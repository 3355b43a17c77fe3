using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Threading.Channels;
using Hanzo.Zt.Edge;
using Hanzo.Zt.NatTraversal;

namespace Hanzo.Zt.Fabric.Paths;

/// <summary>
/// The byte stream beneath a connection's end-to-end TLS. It starts on the relayed circuit at once; when NAT
/// traversal proves a direct path, new bytes go that way, and when the direct path dies the bytes it had not
/// delivered are sent again on the relay. Every data frame carries its stream offset, so the receiver puts bytes
/// from both paths back in order and drops what it already has: the TLS session above never sees the switch.
/// Bytes sent on the direct path are kept until the peer acknowledges their delivery, and at most <see cref="Window"/>
/// of them may be ahead of what the peer's application has read: that is the direct path's flow control. On the
/// host's side, the bytes exchanged on a direct path are reported to the router (which never sees them) every
/// <see cref="DirectReportEvery"/> bytes and when the stream ends, so they are billed like relayed ones.
/// </summary>
internal sealed partial class PathStream : DuplexStream
{
    /// <summary>Bytes sent on a direct path that the peer's application has not read yet, at most.</summary>
    public const long Window = 4 * 1024 * 1024;

    /// <summary>
    /// How long closing waits for a peer that takes nothing: for acknowledgements of what went on the direct path, and
    /// (in <see cref="ZtConnection"/>) for room to end the stream in order before the connection is aborted.
    /// </summary>
    public static readonly TimeSpan CloseLinger = TimeSpan.FromSeconds(5);

    /// <summary>Direct bytes (either way) after which the host tells the router again.</summary>
    public const long DirectReportEvery = 256 * 1024;

    private readonly EdgeCircuit _circuit;
    private readonly FrameSink _relay;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _relayHeader = new byte[PathFrame.DataHeaderLength]; // used under _sendLock
    private readonly object _retainLock = new();
    private readonly Queue<(ulong Offset, int Length, byte[] Frame)> _retained = new();
    private readonly Channel<ReadOnlyMemory<byte>> _signals = Channel.CreateBounded<ReadOnlyMemory<byte>>(64);
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource> _pings = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _relayPump;
    private DirectPath? _direct;
    private DirectPath? _directIn; // the path being read, which may be taken up for sending later than for reading
    private TaskCompletionSource? _windowWaiter;
    private ulong _sent;
    private ulong _acked;
    private ulong _peerRead;
    private ulong _directFrom;
    private bool _writeClosed;
    private bool _aborted;
    private int _disposed;
    private long _directSent;
    private long _directReceived;
    private long _directReported;

    /// <param name="circuit">The relayed circuit, the path that always works.</param>
    /// <param name="router">The router relaying it.</param>
    /// <param name="reportsUsage">True on the host's side, which reports direct bytes and calls served to the router.</param>
    public PathStream(EdgeCircuit circuit, Uri router, bool reportsUsage = false)
    {
        _circuit = circuit;
        ReportsUsage = reportsUsage;
        _relay = new FrameSink(circuit.WriteAsync, circuit.TryWrite, circuit.Write);
        Path = new ZtConnectionPath(router, null);
        _relayPump = Task.Run(() => PumpAsync(circuit.Input, null));
    }

    /// <summary>True on the host's side, which reports direct bytes and calls served to the router.</summary>
    public bool ReportsUsage { get; }

    /// <summary>The path new bytes take now.</summary>
    public ZtConnectionPath Path { get; private set; }

    /// <summary>Raised (on a background thread) whenever <see cref="Path"/> changes.</summary>
    public event Action<ZtConnectionPath>? PathChanged;

    /// <summary>NAT traversal messages to and from the peer, over the relay.</summary>
    public INatSignal Signal => new RelaySignal(this);

    /// <summary>
    /// Runs <paramref name="traversal"/> beside the relay and moves to the path it opens, if any. <paramref name="failed"/>
    /// hears why no path came up; <paramref name="left"/>, why a path in use was left for the relay when that was not
    /// a plain close (a frame that failed its checksum, say).
    /// </summary>
    public void StartDirect(INatTraversal traversal, Func<INatSignal, NatSession> session, Action<Exception>? failed = null, Action<Exception>? left = null)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                var path = await traversal.ConnectAsync(session(Signal), _stop.Token).ConfigureAwait(false);
                if (path is not null)
                {
                    await UpgradeAsync(path, left).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                failed?.Invoke(e);
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <inheritdoc />
    /// <remarks>
    /// On the relay, with credit for the bytes and no other send under way, the write is done before this returns,
    /// with no asynchronous step: every layer beneath (the path's frame, the circuit's data frame) takes its part at
    /// once. Anything else (a direct path, credit to wait for, another sender) goes the waiting way.
    /// </remarks>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            int sent;
            while (!buffer.IsEmpty && (sent = SendOnRelay(buffer.Span, block: false)) > 0)
            {
                buffer = buffer[sent..];
            }
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }

        return buffer.IsEmpty ? default : WriteWaitingAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// On the relay this blocks the calling thread while the circuit waits for credit, with no asynchronous step:
    /// for callers that write from a thread of their own. On a direct path it waits as the asynchronous write does.
    /// </remarks>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int sent;
        while (!buffer.IsEmpty && (sent = SendOnRelay(buffer, block: true)) > 0)
        {
            buffer = buffer[sent..];
        }

        if (!buffer.IsEmpty)
        {
            // A direct path's frames are retained and wait for room in its window: the asynchronous way handles both.
            WriteWaitingAsync(buffer.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <summary>
    /// Sends the first chunk of <paramref name="buffer"/> on the relay as one data frame, with no asynchronous step:
    /// at once, or, when <paramref name="block"/>, waiting on this thread for another sender and for credit. Returns
    /// the chunk's length, or 0 when it was not sent: a direct path carries new bytes, or (not blocking) the send would
    /// have had to wait. Either way the asynchronous path takes it from there.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This side's sending is closed.</exception>
    private int SendOnRelay(ReadOnlySpan<byte> buffer, bool block)
    {
        if (block)
        {
            _sendLock.Wait();
        }
        else if (!_sendLock.Wait(0))
        {
            return 0;
        }

        try
        {
            ObjectDisposedException.ThrowIf(_writeClosed || Volatile.Read(ref _aborted), this);
            if (_direct is not null)
            {
                return 0;
            }

            var chunk = buffer[..Math.Min(buffer.Length, PathFrame.MaxData)];
            PathFrame.WriteDataHeader(_relayHeader, _sent, chunk.Length);
            if (block)
            {
                _relay.Send(_relayHeader, chunk);
            }
            else if (!_relay.TrySend(_relayHeader, chunk))
            {
                return 0;
            }

            _sent += (ulong)chunk.Length;
            return chunk.Length;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask WriteWaitingAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var chunk = buffer[..Math.Min(buffer.Length, PathFrame.MaxData)];
            if (await TrySendDataAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                buffer = buffer[chunk.Length..];
            }
        }
    }

    /// <summary>Sends one chunk on the current path; false when the direct path's window is full (after waiting for room).</summary>
    private async ValueTask<bool> TrySendDataAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        Task? room;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_writeClosed || Volatile.Read(ref _aborted), this);
            if (_direct is not { } direct)
            {
                // The relay delivers or the connection ends: nothing is retained, and the chunk is copied once,
                // behind its header, into the edge link's outgoing batch.
                PathFrame.WriteDataHeader(_relayHeader, _sent, chunk.Length);
                await _relay.SendAsync(_relayHeader, chunk, cancellationToken).ConfigureAwait(false);
                _sent += (ulong)chunk.Length;
                return true;
            }

            // Sent directly, the frame is kept until acknowledged, to go again on the relay if the path dies.
            var frame = PathFrame.Build(PathFrameKind.Data, _sent, chunk.Span);

            lock (_retainLock)
            {
                // Only bytes sent directly count: what went by the relay before the switch has its own flow control.
                ulong read = Math.Max(_peerRead, _directFrom);
                if (_sent + (ulong)chunk.Length - read > Window && !direct.IsLost)
                {
                    _windowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    room = _windowWaiter.Task;
                }
                else
                {
                    room = null;
                    _retained.Enqueue((_sent, chunk.Length, frame));
                }
            }

            if (room is null)
            {
                _sent += (ulong)chunk.Length;
                Interlocked.Add(ref _directSent, chunk.Length);
                ReportDirectBytes(final: false);
                try
                {
                    await direct.Sink.SendAsync(frame, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
                {
                    // The frame is retained: falling back to the relay sends it again.
                    _ = FallBackAsync(direct, tellPeer: true);
                }

                return true;
            }
        }
        finally
        {
            _sendLock.Release();
        }

        await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>Bytes handed to a path so far: it grows while the peer takes what this side sends.</summary>
    public ulong SentBytes => Volatile.Read(ref _sent);

    /// <summary>
    /// Ends the connection without waiting for the peer: the circuit is aborted (the peer's reads and writes fail),
    /// and writes waiting here, for credit or for room on the direct path, fail with <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Abort(string reason)
    {
        Volatile.Write(ref _aborted, true);
        _circuit.Abort(reason);
        WakeWriter();
    }

    /// <summary>On the host's side (<see cref="ReportsUsage"/>), tells the router the calls served so far (a running total, for billing).</summary>
    public void ReportCallsServed(long total) => _circuit.ReportCallsServed(total);

    /// <summary>
    /// On the host's side, tells the router the bytes exchanged on a direct path so far, when they grew by
    /// <see cref="DirectReportEvery"/> since the last report (or at all, when <paramref name="final"/>).
    /// </summary>
    private void ReportDirectBytes(bool final)
    {
        if (!ReportsUsage)
        {
            return;
        }

        long sent = Interlocked.Read(ref _directSent), received = Interlocked.Read(ref _directReceived);
        long total = sent + received, reported = Interlocked.Read(ref _directReported);
        if (total > reported && (final || total - reported >= DirectReportEvery)
            && Interlocked.CompareExchange(ref _directReported, total, reported) == reported)
        {
            _circuit.ReportDirectBytes(fromDialer: received, toDialer: sent);
        }
    }

    /// <summary>The peer's acknowledgement: it read every byte before <paramref name="read"/> and holds every one before <paramref name="delivered"/>.</summary>
    private void OnAck(ulong read, ulong delivered)
    {
        lock (_retainLock)
        {
            if (delivered <= _acked && read <= _peerRead)
            {
                return;
            }

            _peerRead = Math.Max(_peerRead, read);
            _acked = Math.Max(_acked, delivered);
            while (_retained.Count > 0 && _retained.Peek().Offset + (ulong)_retained.Peek().Length <= _acked)
            {
                _retained.Dequeue();
            }
        }

        WakeWriter();
    }

    /// <summary>
    /// Takes up a proven path: reads it at once, and sends on it once the write under way has finished. The reading
    /// cannot wait for the writing: the peer may have moved first, and a write here may be waiting for relay credit
    /// that the peer gives only once this side reads (and acknowledges) what it sent directly. <paramref name="left"/>
    /// hears why the path was left if a damaged or malformed frame ends it.
    /// </summary>
    private async Task UpgradeAsync(INatPath path, Action<Exception>? left)
    {
        var direct = new DirectPath(path);
        Volatile.Write(ref _directIn, direct);
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposal may have dropped the direct path before this one was set: drop it here, once.
            if (Interlocked.CompareExchange(ref _directIn, null, direct) == direct)
            {
                await path.DisposeAsync().ConfigureAwait(false);
            }

            return;
        }

        _ = Task.Run(async () =>
        {
            var failure = await PumpAsync(path.Transport.Input, direct).ConfigureAwait(false);
            if (failure is ZtProtocolException && Volatile.Read(ref _disposed) == 0)
            {
                left?.Invoke(failure);
            }

            await FallBackAsync(direct, tellPeer: true).ConfigureAwait(false);
        });

        try
        {
            await _sendLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // disposed: disposal drops the path
        }

        try
        {
            if (direct.IsLost || Volatile.Read(ref _disposed) != 0)
            {
                // Found dead (or the connection ended) before it carried a byte from here: whoever found it so
                // disposes it, and there is nothing to send again.
                return;
            }

            lock (_retainLock)
            {
                _directFrom = _sent;
            }

            _direct = direct;
        }
        finally
        {
            _sendLock.Release();
        }

        SetPath(Path with { Direct = path.RemoteEndPoint });
    }

    /// <summary>Leaves the direct path for good, as the connection ends: nothing more is sent or read on it.</summary>
    private async ValueTask DropDirectAsync()
    {
        Interlocked.Exchange(ref _direct, null);
        if (Interlocked.Exchange(ref _directIn, null) is { } direct)
        {
            direct.MarkLost();
            WakeWriter();
            await direct.Path.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Leaves a dead direct path: what it had not delivered goes again on the relay, and new bytes follow it there.</summary>
    private async Task FallBackAsync(DirectPath direct, bool tellPeer)
    {
        if (!direct.MarkLost())
        {
            return;
        }

        WakeWriter();
        try
        {
            await _sendLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await direct.Path.DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            if (_direct == direct)
            {
                _direct = null;
                (ulong Offset, int Length, byte[] Frame)[] resend;
                lock (_retainLock)
                {
                    resend = [.. _retained];
                    _retained.Clear();
                }

                foreach (var (_, _, frame) in resend)
                {
                    await _relay.SendAsync(frame, _stop.Token).ConfigureAwait(false);
                }

                if (tellPeer)
                {
                    await _relay.SendAsync(PathFrame.Build(PathFrameKind.PathDown, null, default), _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is ZtException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The relay is gone too: the connection is over, and its reads say so.
        }
        finally
        {
            _sendLock.Release();
            WakeWriter();
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            SetPath(Path with { Direct = null });
        }

        await direct.Path.DisposeAsync().ConfigureAwait(false);
    }

    private void WakeWriter()
    {
        TaskCompletionSource? waiter;
        lock (_retainLock)
        {
            waiter = _windowWaiter;
            _windowWaiter = null;
        }

        waiter?.TrySetResult();
    }

    private void SetPath(ZtConnectionPath path)
    {
        Path = path;
        PathChanged?.Invoke(path);
    }

    /// <summary>Sends a ping on the current path and waits for its answer on the same path.</summary>
    public async Task<ZtPingResult> PingAsync(CancellationToken cancellationToken)
    {
        var direct = _direct;
        var path = Path;
        var sink = direct is { IsLost: false } ? direct.Sink : _relay;
        if (sink == _relay)
        {
            path = path with { Direct = null };
        }

        ulong nonce = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[nonce] = answer;
        try
        {
            long started = Stopwatch.GetTimestamp();
            await sink.SendAsync(PathFrame.Build(PathFrameKind.Ping, nonce, default), cancellationToken).ConfigureAwait(false);
            await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new ZtPingResult(path, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            _pings.TryRemove(nonce, out _);
        }
    }

    /// <summary>Ends this side's sending: the peer reads every byte sent (on either path) and then end of stream.</summary>
    public async ValueTask CloseWriteAsync()
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_writeClosed)
            {
                return;
            }

            _writeClosed = true;
            ReportDirectBytes(final: true);
            await _relay.SendAsync(PathFrame.Build(PathFrameKind.Fin, _sent, default), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ZtException or IOException or ObjectDisposedException)
        {
            // The peer is gone: there is nobody to tell.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Waits (up to <paramref name="limit"/>) until the peer acknowledged what went on the direct path, so closing loses nothing.</summary>
    private async Task DrainAsync(TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (!deadline.IsCancellationRequested)
        {
            Task wait;
            lock (_retainLock)
            {
                if (_retained.Count == 0 || _direct is null)
                {
                    return;
                }

                _windowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _windowWaiter.Task;
            }

            try
            {
                await wait.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await CloseWriteAsync().ConfigureAwait(false);
        await DrainAsync(CloseLinger).ConfigureAwait(false);
        ReportDirectBytes(final: true);
        _circuit.CloseWrite();
        _stop.Cancel();
        await DropDirectAsync().ConfigureAwait(false);

        // The pump stops (its waits all end with _stop) before the circuit it reads from goes.
        await _relayPump.ConfigureAwait(false);
        await _circuit.DisposeAsync().ConfigureAwait(false);
        _inbound.Reader.Complete();
        _signals.Writer.TryComplete();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Volatile.Read(ref _disposed) == 0)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private sealed class RelaySignal(PathStream stream) : INatSignal
    {
        public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
            stream._relay.SendAsync(PathFrame.Build(PathFrameKind.Signal, null, message.Span), cancellationToken);

        public ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default) =>
            stream._signals.Reader.ReadAsync(cancellationToken);
    }
}
