using System.Buffers;

namespace Hanzo.Zt.Capnp;

/// <summary>A <see cref="FrameWriter"/> onto a <see cref="Stream"/>: one write and flush per batch, with no copy in between.</summary>
public sealed class StreamFrameWriter(
    Stream output,
    FrameFormat format,
    int maxMessageBytes,
    long maxPendingBytes,
    Action<Exception>? onFailed = null,
    CancellationToken cancellationToken = default,
    int bufferBytes = 16 * 1024)
    : FrameWriter(format, maxMessageBytes, maxPendingBytes, onFailed, cancellationToken, bufferBytes)
{
    /// <inheritdoc />
    protected override async ValueTask WriteBatchAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask WriteBatchAsync(ReadOnlySequence<byte> batch, CancellationToken cancellationToken)
    {
        foreach (var part in batch)
        {
            await output.WriteAsync(part, cancellationToken).ConfigureAwait(false);
            ReportProgress();
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
