using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography;
using Hanzo.Zt.Fabric.Paths;
using Hanzo.Zt.Transport;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// A connection to a service through the fabric: a byte stream encrypted end to end (TLS 1.3 between the two
/// identities) over a circuit the router relays without being able to read it. Counts the bytes each way (and
/// the calls a protocol on top reports through <see cref="IZtUsageFeature"/>) and, when disposed, records its
/// usage with the meter it was dialed with, before <see cref="DisposeAsync"/> returns. On the host's side, the calls
/// served are reported to the router ahead of the bytes that answer them, which is what bills them to the dialer.
/// </summary>
public sealed class ZtConnection : Edge.DuplexStream, IZtUsageFeature
{
    private readonly SslStream _tls;
    private readonly PathStream _path;
    private readonly ConnectionMeter? _meter;
    private readonly long _started = Stopwatch.GetTimestamp();
    private IDuplexPipe? _pipe;
    private long _sent;
    private long _received;
    private long _calls;
    private long _served;
    private long _servedReported;
    private int _writeClosed;
    private int _disposed;

    internal ZtConnection(SslStream tls, PathStream path, string service, string sessionId, string peerIdentity, ConnectionMeter? meter)
    {
        _tls = tls;
        _path = path;
        _path.PathChanged += p => PathChanged?.Invoke(this, p);
        Service = service;
        SessionId = sessionId;
        PeerIdentity = peerIdentity;
        _meter = meter;
        StartedAt = DateTimeOffset.UtcNow;
        Diagnostics.FabricMetrics.Opened(service);
    }

    /// <summary>The service this connection reaches (or, on a host, was dialed for).</summary>
    public string Service { get; }

    /// <summary>The controller session the connection belongs to.</summary>
    public string SessionId { get; }

    /// <summary>The identity id at the other end, as its certificate proved it.</summary>
    public string PeerIdentity { get; }

    /// <summary>
    /// The path the connection's bytes take now: the relay at first, a direct UDP path once one is proven, the relay
    /// again if that dies. The end-to-end TLS session is the same on every path, and the application sees no switch.
    /// </summary>
    public ZtConnectionPath Path => _path.Path;

    /// <summary>Raised, on a background thread, whenever <see cref="Path"/> changes.</summary>
    public event EventHandler<ZtConnectionPath>? PathChanged;

    /// <summary>Pings the peer's fabric layer on the current path and returns the path and round-trip time.</summary>
    /// <exception cref="ZtConnectionException">The connection closed before the answer came.</exception>
    public Task<ZtPingResult> PingAsync(CancellationToken cancellationToken = default) => _path.PingAsync(cancellationToken);

    /// <summary>When the connection was established.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Bytes of payload written.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Bytes of payload read.</summary>
    public long BytesReceived => Interlocked.Read(ref _received);

    /// <summary>Calls made over the connection, as the protocol on top counted them.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <inheritdoc />
    public void AddCalls(long count) => Interlocked.Add(ref _calls, count);

    /// <summary>Calls the peer made that this side served, as the protocol on top counted them.</summary>
    public long CallsServed => Interlocked.Read(ref _served);

    /// <inheritdoc />
    public void AddCallsServed(long count) => Interlocked.Add(ref _served, count);

    /// <summary>
    /// On a host's connection, tells the router the calls served so far when that number grew. Called before every
    /// write, so the report is queued on the link ahead of the bytes answering the calls it counts: on the relay, a
    /// dialer never receives an answer the router has not counted (on a direct path the answer may arrive first; the
    /// report is on its way all the same, and a dialer that vanishes cannot take it back).
    /// </summary>
    private void ReportServed()
    {
        if (!_path.ReportsUsage)
        {
            return;
        }

        long served = Interlocked.Read(ref _served);
        if (served > Interlocked.Read(ref _servedReported) && Interlocked.Exchange(ref _servedReported, served) < served)
        {
            _path.ReportCallsServed(served);
        }
    }

    /// <summary>How long the connection has been open.</summary>
    public TimeSpan Duration => Stopwatch.GetElapsedTime(_started);

    /// <summary>The connection as a duplex pipe (for Kestrel-style consumers such as ZAP).</summary>
    public IDuplexPipe Pipe => _pipe ??= new PipePair(PipeReader.Create(this, new StreamPipeReaderOptions(leaveOpen: true)), PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true)));

    /// <inheritdoc />
    /// <remarks>
    /// A read of bytes already here completes before this returns; one that waits allocates nothing, its state being
    /// pooled (await it once, as any ValueTask).
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask<int> read;
        try
        {
            read = _tls.ReadAsync(buffer, cancellationToken);
            if (read.IsCompletedSuccessfully)
            {
                return new ValueTask<int>(Received(read.Result));
            }
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(Closed(e));
        }

        return ReadWaitingAsync(read);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadWaitingAsync(ValueTask<int> read)
    {
        try
        {
            return Received(await read.ConfigureAwait(false));
        }
        catch (IOException e)
        {
            throw Closed(e);
        }
    }

    private int Received(int n)
    {
        Interlocked.Add(ref _received, n);
        return n;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A write the layers beneath take at once completes before this returns; one that waits allocates nothing, its
    /// state being pooled (await it once, as any ValueTask).
    /// </remarks>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReportServed();
        ValueTask write;
        try
        {
            write = _tls.WriteAsync(buffer, cancellationToken);
            if (write.IsCompletedSuccessfully)
            {
                write.GetAwaiter().GetResult();
                Interlocked.Add(ref _sent, buffer.Length);
                return default;
            }
        }
        catch (Exception e)
        {
            return ValueTask.FromException(Closed(e));
        }

        return WriteWaitingAsync(write, buffer.Length);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteWaitingAsync(ValueTask write, int length)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw Closed(e);
        }

        Interlocked.Add(ref _sent, length);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Blocks the calling thread until bytes arrive (or the connection ends), with no asynchronous step while bytes are
    /// already here: the way for a caller reading on a thread of its own.
    /// </remarks>
    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return Received(_tls.Read(buffer, offset, count));
        }
        catch (IOException e)
        {
            throw Closed(e);
        }
    }

    /// <summary>
    /// True when bytes have arrived that no read has taken yet, so a read returns without waiting for the peer (at most
    /// for the rest of a TLS record already on its way). A caller reading in runs uses it to take what is here in one go.
    /// </summary>
    public bool DataAvailable => _path.HasUnread;

    /// <inheritdoc />
    /// <remarks>
    /// Blocks the calling thread until the bytes are sent or queued, with no asynchronous step on the relay: the way
    /// for a caller writing from a thread of its own.
    /// </remarks>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ReportServed();
        try
        {
            _tls.Write(buffer, offset, count);
        }
        catch (IOException e)
        {
            throw Closed(e);
        }

        Interlocked.Add(ref _sent, count);
    }

    /// <inheritdoc />
    public override void Flush() => _tls.Flush();

    /// <summary>What a failed read or write throws: a broken stream beneath is the connection closing.</summary>
    private Exception Closed(Exception e) => e is IOException
        ? new ZtConnectionException(ZtErrorCode.ConnectionClosed, $"the connection to '{Service}' was closed: {e.InnerException?.Message ?? e.Message}", e)
        : e;

    /// <summary>
    /// Ends this side's sending: the peer reads what was sent and then sees end of stream, while this side can
    /// still read. (TLS close_notify would also end reading in .NET's TLS stack, so the half-close is the
    /// path layer's own; a full close sends close_notify first.)
    /// </summary>
    public async ValueTask CloseWriteAsync()
    {
        ReportServed();
        if (Interlocked.Exchange(ref _writeClosed, 1) == 0)
        {
            await _path.CloseWriteAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            ReportServed();
            if (Interlocked.Exchange(ref _writeClosed, 1) == 0)
            {
                await CloseGracefullyAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever the close ran into, the session and its circuit go: a circuit left open would keep the peer
            // waiting for bytes that never come.
            await _tls.DisposeAsync().ConfigureAwait(false);
            await _path.DisposeAsync().ConfigureAwait(false);
            Diagnostics.FabricMetrics.Closed(this);
            if (_meter is not null)
            {
                await _meter.RecordAsync(this).ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the TLS session and the stream in order, so the peer reads every byte sent and then the end. That waits
    /// for the peer to take what is still in flight; a peer that takes nothing for <see cref="PathStream.CloseLinger"/>
    /// (it stopped reading, or its process hangs) gets an aborted connection instead, and a write still waiting here fails.
    /// </summary>
    private async Task CloseGracefullyAsync()
    {
        var closing = CloseInOrderAsync();
        ulong sent = _path.SentBytes;
        while (true)
        {
            try
            {
                await closing.WaitAsync(PathStream.CloseLinger).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException) when (_path.SentBytes != sent)
            {
                sent = _path.SentBytes; // slow, but the peer is taking it
            }
            catch (TimeoutException)
            {
                _path.Abort($"the connection to '{Service}' was closed while the peer took nothing for {PathStream.CloseLinger.TotalSeconds:0} s");
                try
                {
                    // The abort fails the waiting writes at once; the bound is for a path that does not say so.
                    await closing.WaitAsync(PathStream.CloseLinger).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Disposal goes on: the rest of the closing ends with the path.
                }

                return;
            }
        }
    }

    private async Task CloseInOrderAsync()
    {
        try
        {
            await _tls.ShutdownAsync().ConfigureAwait(false);
        }
        catch (CryptographicException e)
        {
            // The session itself failed (a record that did not decrypt, say): it cannot end in order, and the peer
            // must not read a clean end after it. It hears of an abort instead.
            _path.Abort($"the end-to-end TLS session with '{Service}' failed: {e.Message}");
            return;
        }
        catch (Exception e) when (e is IOException or ZtException or ObjectDisposedException or InvalidOperationException)
        {
            // The other side is already gone: there is nobody left to tell.
        }

        await _path.CloseWriteAsync().ConfigureAwait(false);
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

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _tls.FlushAsync(cancellationToken);

    private sealed class PipePair(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
