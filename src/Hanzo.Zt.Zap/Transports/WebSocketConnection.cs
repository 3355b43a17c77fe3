using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Hanzo.Zt.Zap.Transports;

/// <summary>
/// A Kestrel-style connection over a WebSocket: received binary messages are concatenated into the input pipe,
/// and each ZAP frame written to the output pipe leaves as one binary message.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext
{
    private static long s_nextId;
    private readonly WebSocket _socket;
    private readonly IDisposable? _owner;
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
    // 64 KiB segments: a large message leaves in few fragments (one system call each), not one per 4 KiB.
    private readonly Pipe _output = new(new PipeOptions(minimumSegmentSize: 64 * 1024, useSynchronizationContext: false));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly Task _sending;
    private int _disposed;

    public WebSocketConnection(WebSocket socket, EndPoint? local, EndPoint? remote, IDisposable? owner = null)
    {
        _socket = socket;
        _owner = owner;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionId = "zap-ws-" + Interlocked.Increment(ref s_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _receiving = Task.Run(ReceiveLoopAsync);
        _sending = Task.Run(SendLoopAsync);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort();

    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(16 * 1024);
                var received = await _socket.ReceiveAsync(memory, _stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (received.MessageType != WebSocketMessageType.Binary)
                {
                    throw new InvalidDataException("ZAP over WebSocket carries binary messages only; a text message arrived");
                }

                writer.Advance(received.Count);
                var flushed = await writer.FlushAsync(_stop.Token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            error = e;
        }

        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryTakeFrame(ref buffer, out var frame))
                {
                    await SendMessageAsync(frame).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        catch (Exception)
        {
            // The connection completed its output with an error (what it held back will never be sent): the peer
            // sees the WebSocket cut, not closed as if everything had arrived.
            _socket.Abort();
        }

        await reader.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Cuts one whole ZAP frame (length prefix and payload) from the front of the buffer.</summary>
    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        long length = 4L + BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (buffer.Length < length)
        {
            return false;
        }

        frame = buffer.Slice(0, length);
        buffer = buffer.Slice(length);
        return true;
    }

    private async ValueTask SendMessageAsync(ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            await _socket.SendAsync(frame.First, WebSocketMessageType.Binary, endOfMessage: true, _stop.Token).ConfigureAwait(false);
            return;
        }

        // One message in fragments, one a segment: each part goes out once the next is known, so the last one ends it.
        ReadOnlyMemory<byte> held = default;
        foreach (var segment in frame)
        {
            if (segment.IsEmpty)
            {
                continue;
            }

            if (!held.IsEmpty)
            {
                await _socket.SendAsync(held, WebSocketMessageType.Binary, endOfMessage: false, _stop.Token).ConfigureAwait(false);
            }

            held = segment;
        }

        await _socket.SendAsync(held, WebSocketMessageType.Binary, endOfMessage: true, _stop.Token).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            // The loops end on their own (they report nothing by throwing); the socket is let go whatever happens.
            await _output.Writer.CompleteAsync().ConfigureAwait(false);
            try
            {
                await _sending.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            _stop.Cancel();
            await _receiving.ConfigureAwait(false);
            await _input.Reader.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            _stop.Cancel();
            _socket.Dispose();
            _owner?.Dispose();
            _stop.Dispose();
        }
    }
}
