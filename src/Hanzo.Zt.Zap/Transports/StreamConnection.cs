using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Hanzo.Zt.Zap.Transports;

/// <summary>A Kestrel-style connection over a <see cref="Stream"/> (a socket's or a WebSocket adapter's).</summary>
internal sealed class StreamConnection : ConnectionContext
{
    private static long s_nextId;
    private readonly Stream _stream;
    private readonly IAsyncDisposable? _owner;
    private int _disposed;

    public StreamConnection(Stream stream, EndPoint? local, EndPoint? remote, IAsyncDisposable? owner = null, int minimumSegmentSize = 16 * 1024)
    {
        _stream = stream;
        _owner = owner;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        Transport = new DuplexPipe(
            PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: minimumSegmentSize, minimumReadSize: 4096, leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: minimumSegmentSize, leaveOpen: true)));
        ConnectionId = "zap-" + Interlocked.Increment(ref s_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ConnectionId { get; set; }

    /// <summary>The underlying stream, for transports layered on this one (the WebSocket handshake).</summary>
    public Stream Stream => _stream;

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override void Abort(ConnectionAbortedException abortReason) => _stream.Dispose();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_owner is not null)
        {
            await _owner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
