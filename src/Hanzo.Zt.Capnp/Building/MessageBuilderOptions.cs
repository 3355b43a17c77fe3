using System.Buffers;

namespace Hanzo.Zt.Capnp;

/// <summary>How a <see cref="MessageBuilder"/> allocates its segments.</summary>
public sealed record MessageBuilderOptions
{
    /// <summary>The defaults: a first segment of 1024 words that later segments grow from.</summary>
    public static MessageBuilderOptions Default { get; } = new();

    /// <summary>Size of the first segment in words.</summary>
    public int FirstSegmentWords { get; init; } = 1024;

    /// <summary>
    /// When true, every new segment has <see cref="FirstSegmentWords"/> words (or what one allocation needs);
    /// otherwise each new segment is as large as the message so far, so large messages need few segments.
    /// </summary>
    public bool FixedSegmentSize { get; init; }

    /// <summary>
    /// When true, the message always stays in one segment, which grows (and moves) as needed: no far pointers,
    /// as flat and canonical encodings require.
    /// </summary>
    public bool SingleSegment { get; init; }

    /// <summary>Where segment memory comes from.</summary>
    public ArrayPool<byte> Pool { get; init; } = ArrayPool<byte>.Shared;
}
