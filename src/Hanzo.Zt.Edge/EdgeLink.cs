using System.Buffers;
using System.IO.Pipelines;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Edge;

/// <summary>
/// One edge link (SDK to router) over an authenticated stream: frames of a 4-byte big-endian length and a
/// Cap'n Proto <c>Frame</c>, read by one loop and written in batches with one flush per batch.
/// </summary>
public sealed class EdgeLink : IAsyncDisposable
{
    /// <summary>The largest frame accepted or sent.</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    private static readonly ReaderOptions Limits = new() { NestingLimit = 8, MaxSegments = 16 };
    private readonly Stream _stream;
    private readonly Func<EdgeLink, EdgeFrame, ValueTask> _onFrame;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StreamFrameWriter _writer;

    /// <summary>
    /// The most bytes a link queues for its peer by default: every circuit a router allows on one link with its whole
    /// window in flight, and room for control frames. A peer that reads slowly may need all of it; one that stops
    /// reading is cut off once its writes stall (<see cref="SendStallTimeout"/>), long before.
    /// </summary>
    public const long DefaultMaxPendingBytes = 1024L * EdgeCircuit.Window + WindowGrowthBudget + 64L * 1024 * 1024;

    /// <summary>
    /// Creates a link; frames go to <paramref name="onFrame"/> one at a time, in order. A frame views the link's
    /// receive buffer: it is valid until the task <paramref name="onFrame"/> returns completes, so a handler that
    /// keeps any of it longer copies it first.
    /// </summary>
    public EdgeLink(Stream stream, Func<EdgeLink, EdgeFrame, ValueTask> onFrame, long maxPendingBytes = DefaultMaxPendingBytes)
    {
        _stream = stream;
        _onFrame = onFrame;
        // 64 KiB batch arrays: a bulk burst goes to the TLS stream in parts of four full records.
        _writer = new StreamFrameWriter(stream, FrameFormat.LengthPrefixed, MaxFrameBytes, maxPendingBytes, OnWriteFailed, _closing.Token, bufferBytes: 64 * 1024)
        {
            StallTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// How long the link's writes may make no progress, with frames waiting, before the peer is taken to have stopped
    /// reading and the link is cut. Default 30 s.
    /// </summary>
    public TimeSpan SendStallTimeout
    {
        get => _writer.StallTimeout;
        init => _writer.StallTimeout = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive or infinite");
    }

    /// <summary>
    /// The credit a link's circuits may grant together beyond their base windows (<see cref="EdgeCircuit.MaxWindow"/>):
    /// 16 MiB, so a router holds at most that much more for one link's circuits than their base windows.
    /// </summary>
    public const long WindowGrowthBudget = 16L * 1024 * 1024;

    private long _windowGrowth;

    /// <summary>Takes up to <paramref name="wanted"/> bytes of window growth from the link's budget; returns what it took.</summary>
    internal long TakeWindowGrowth(long wanted)
    {
        while (true)
        {
            long used = Volatile.Read(ref _windowGrowth);
            long take = Math.Min(wanted, WindowGrowthBudget - used);
            if (take <= 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref _windowGrowth, used + take, used) == used)
            {
                return take;
            }
        }
    }

    /// <summary>Gives window growth back to the link's budget (a circuit ended).</summary>
    internal void ReturnWindowGrowth(long bytes) => Interlocked.Add(ref _windowGrowth, -bytes);

    /// <summary>The authenticated peer: an identity or router id, set by whoever accepted the link.</summary>
    public string PeerId { get; init; } = "";

    /// <summary>Completes when the link has ended, with the reason (null for a clean close).</summary>
    public Task<Exception?> Completion => _completion.Task;

    /// <summary>True until the link ends.</summary>
    public bool IsOpen => !_completion.Task.IsCompleted && !_closing.IsCancellationRequested;

    /// <summary>Starts reading frames.</summary>
    public void Start() => _ = Task.Run(ReadLoopAsync);

    /// <summary>Queues a frame; returns false when the link is closed.</summary>
    public bool Send(MessageBuilder frame)
    {
        switch (_writer.TryWrite(frame))
        {
            case FrameWriteResult.Queued:
                return true;
            case FrameWriteResult.TooLarge:
                throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"an edge frame of {MessageSerializer.GetSerializedSize(frame)} bytes is over the {MaxFrameBytes}-byte limit");
            case FrameWriteResult.PeerNotReading:
                CloseNotReading();
                return false;
            default:
                return false;
        }
    }

    /// <summary>Queues a data frame, copying <paramref name="payload"/> once, straight into the outgoing batch.</summary>
    public bool SendData(uint circuit, ReadOnlySpan<byte> payload, ulong sequence, ulong value = 0)
    {
        Span<byte> header = stackalloc byte[EdgeFrame.DataHeaderBytes];
        int padding = EdgeFrame.WriteDataHeader(header, circuit, sequence, value, payload.Length);
        return Result(_writer.TryWrite(header, payload, padding), payload.Length);
    }

    /// <summary>The most bytes <see cref="SendData(uint, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ulong)"/> takes before its payload.</summary>
    public const int MaxDataPrefixBytes = 64;

    /// <summary>
    /// Queues a data frame whose payload is <paramref name="prefix"/> followed by <paramref name="payload"/>, both
    /// copied once, straight into the outgoing batch (a caller's own header needs no buffer to join its body).
    /// </summary>
    public bool SendData(uint circuit, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload, ulong sequence)
    {
        if (prefix.IsEmpty)
        {
            return SendData(circuit, payload, sequence);
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix.Length, MaxDataPrefixBytes, nameof(prefix));
        Span<byte> header = stackalloc byte[EdgeFrame.DataHeaderBytes + MaxDataPrefixBytes];
        int padding = EdgeFrame.WriteDataHeader(header, circuit, sequence, 0, prefix.Length + payload.Length);
        prefix.CopyTo(header[EdgeFrame.DataHeaderBytes..]);
        return Result(_writer.TryWrite(header[..(EdgeFrame.DataHeaderBytes + prefix.Length)], payload, padding), prefix.Length + payload.Length);
    }

    private bool Result(FrameWriteResult result, int payloadLength)
    {
        switch (result)
        {
            case FrameWriteResult.Queued:
                return true;
            case FrameWriteResult.TooLarge:
                throw new ZtConnectionException(ZtErrorCode.ConnectionFailed, $"an edge data frame of {payloadLength} bytes is over the {MaxFrameBytes}-byte limit");
            case FrameWriteResult.PeerNotReading:
                CloseNotReading();
                return false;
            default:
                return false;
        }
    }

    /// <summary>Builds and queues a frame.</summary>
    public bool Send(EdgeFrameKind kind, uint circuit, ulong value = 0, string? token = null, ReadOnlySpan<byte> payload = default, string? peer = null, ulong sequence = 0)
    {
        using var frame = EdgeFrame.Build(kind, circuit, value, token, payload, peer, sequence);
        return Send(frame);
    }

    /// <summary>Bytes queued and not yet written: callers that send bulk data wait while this is high.</summary>
    public long PendingBytes => _writer.PendingBytes;

    private void CloseNotReading() =>
        Close(new ZtConnectionException(ZtErrorCode.ConnectionClosed, "the peer is not reading: its link took nothing for too long, or too many bytes are waiting to be sent"));

    private void OnWriteFailed(Exception e) =>
        Close(e is OperationCanceledException ? null : new ZtConnectionException(ZtErrorCode.ConnectionClosed, $"writing to the edge link failed: {e.Message}", e));

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(pool: TransportBuffers.Memory, bufferSize: 64 * 1024, leaveOpen: true));
        // One reader for every frame, viewing the pipe's memory in place while the frame is handled.
        using var message = new MessageReader(Limits);
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (MessageFraming.TryReadInPlace(ref buffer, FrameFormat.LengthPrefixed, MaxFrameBytes, message))
                    {
                        await _onFrame(this, EdgeFrame.Read(message)).ConfigureAwait(false);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        error = new ZtConnectionException(ZtErrorCode.ConnectionClosed, "the edge link ended inside a frame");
                    }

                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            error = e is ZtProtocolException
                ? new ZtConnectionException(ZtErrorCode.ConnectionClosed, $"the peer sent a malformed edge frame: {e.Message}", e)
                : e;
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        Close(error);
    }


    /// <summary>Ends the link (idempotent); <paramref name="reason"/> is null for a clean close.</summary>
    public void Close(Exception? reason = null)
    {
        _writer.Close();
        if (_completion.TrySetResult(reason))
        {
            _closing.Cancel();
            try
            {
                _stream.Dispose();
            }
            catch (Exception)
            {
                // Closing a broken stream can fail; the link is over either way.
            }
        }
    }

    /// <summary>Closes the link.</summary>
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
