using System.Buffers;
using System.IO.Pipelines;

namespace Hanzo.Zt.Capnp;

/// <summary>A <see cref="FrameWriter"/> onto a <see cref="PipeWriter"/>: one write and flush per batch.</summary>
public sealed class PipeFrameWriter(
    PipeWriter output,
    FrameFormat format,
    int maxMessageBytes,
    long maxPendingBytes,
    Action<Exception>? onFailed = null,
    CancellationToken cancellationToken = default,
    int bufferBytes = 4096)
    : FrameWriter(format, maxMessageBytes, maxPendingBytes, onFailed, cancellationToken, bufferBytes)
{
    /// <inheritdoc />
    protected override async ValueTask WriteBatchAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        var result = await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new IOException("the transport stopped accepting data");
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteBatchAsync(ReadOnlySequence<byte> batch, CancellationToken cancellationToken)
    {
        foreach (var part in batch)
        {
            output.Write(part.Span);
        }

        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new IOException("the transport stopped accepting data");
        }
    }
}
