using System.Buffers;
using Hanzo.Zt.NatTraversal;

namespace Hanzo.Zt.Fabric.Paths;

/// <summary>A punched path in use by a <see cref="PathStream"/>: the path, its frame sink, and whether it was found dead.</summary>
internal sealed class DirectPath(INatPath path)
{
    private int _lost;

    public INatPath Path { get; } = path;

    public FrameSink Sink { get; } = new(async (head, body, cancellationToken) =>
    {
        var output = path.Transport.Output;
        PathFrame.WriteChecksummed(output, head.Span, body.Span);
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("the direct path is closed");
        }
    });

    public bool IsLost => Volatile.Read(ref _lost) != 0;

    /// <summary>Marks the path dead; true for the first caller only.</summary>
    public bool MarkLost() => Interlocked.Exchange(ref _lost, 1) == 0;
}
