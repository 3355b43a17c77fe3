using System.Buffers;
using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A received Cap'n Proto message: its segments, read in place, and the limits that bound how much work
/// reading it may cost. Readers obtained from it (<see cref="StructReader"/>, <see cref="ListReader"/>,
/// <see cref="PointerReader"/>) are small structs that view the segments without copying.
/// </summary>
/// <remarks>
/// Not thread-safe: the traversal budget is shared by every reader of the message. Disposing returns pooled
/// memory the message was copied into; readers must not be used afterwards.
/// </remarks>
public sealed class MessageReader : IDisposable
{
    private ReadOnlyMemory<byte>[] _segments;
    private int _count;
    private byte[]? _pooled;
    private long _traversalRemaining;

    /// <summary>Creates a reader over segments already in memory; each segment's length must be a whole number of words.</summary>
    /// <exception cref="CapnpFormatException">A segment is not word-sized, or there are no segments.</exception>
    public MessageReader(IReadOnlyList<ReadOnlyMemory<byte>> segments, ReaderOptions? options = null)
        : this(ToArray(segments), options ?? ReaderOptions.Default, pooled: null)
    {
    }

    /// <summary>
    /// Creates a reader that holds no message yet, to load framed messages into again and again with
    /// <see cref="MessageFraming.TryRead(ref ReadOnlySequence{byte}, FrameFormat, int, MessageReader)"/>, so a
    /// connection reading many messages allocates no reader per message.
    /// </summary>
    public MessageReader(ReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _segments = [ReadOnlyMemory<byte>.Empty];
        _count = 1;
        Options = options;
    }

    internal MessageReader(ReadOnlyMemory<byte>[] segments, ReaderOptions options, byte[]? pooled)
    {
        if (segments.Length == 0)
        {
            throw new CapnpFormatException("The message has no segments.");
        }

        foreach (var segment in segments)
        {
            if (segment.Length % 8 != 0)
            {
                throw new CapnpFormatException($"A segment of {segment.Length} bytes is not a whole number of 8-byte words.");
            }
        }

        _segments = segments;
        _count = segments.Length;
        _pooled = pooled;
        Options = options;
        _traversalRemaining = options.TraversalLimitInWords;
    }

    /// <summary>The limits this message is read with.</summary>
    public ReaderOptions Options { get; }

    /// <summary>How many segments the message has.</summary>
    public int SegmentCount => _count;

    /// <summary>Words of traversal budget left.</summary>
    public long TraversalRemainingWords => _traversalRemaining;

    /// <summary>The bytes of one segment.</summary>
    public ReadOnlyMemory<byte> GetSegment(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _segments[index];
    }

    /// <summary>
    /// Points this reader at the next framed message in <paramref name="framed"/>, reusing its memory and
    /// restoring the full traversal budget, so a connection that reads many messages allocates nothing per message.
    /// </summary>
    /// <returns>How many bytes the message took.</returns>
    /// <exception cref="CapnpFormatException">The buffer holds no complete, valid message.</exception>
    public int Reset(ReadOnlyMemory<byte> framed)
    {
        if (!MessageSerializer.TryReadHeader(new System.Buffers.ReadOnlySequence<byte>(framed), Options, out int tableSize, out long length)
            || length > framed.Length)
        {
            throw new CapnpFormatException($"Truncated message: {framed.Length} bytes do not hold the whole segment table and segments.");
        }

        Dispose();
        _count = MessageSerializer.SliceSegments(framed, tableSize, ref _segments);
        _traversalRemaining = Options.TraversalLimitInWords;
        return (int)length;
    }

    /// <summary>
    /// Points this reader at <paramref name="message"/> as built so far, without copying, reusing its memory and
    /// restoring the full traversal budget: local delivery of many built messages allocates no reader per message.
    /// The view is valid until the builder changes or is disposed.
    /// </summary>
    /// <exception cref="CapnpFormatException">The builder holds no segments (it was disposed).</exception>
    public void Reset(MessageBuilder message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int count = message.SegmentCount;
        if (count == 0)
        {
            throw new CapnpFormatException("The message has no segments.");
        }

        Dispose();
        if (_segments.Length < count)
        {
            _segments = new ReadOnlyMemory<byte>[count];
        }

        for (int i = 0; i < count; i++)
        {
            _segments[i] = message.GetSegment(i);
        }

        _count = count;
        _traversalRemaining = Options.TraversalLimitInWords;
    }

    /// <summary>
    /// Takes over <paramref name="pooled"/> (rented from the shared pool), which holds a validated framed message of
    /// <paramref name="length"/> bytes with a segment table of <paramref name="tableSize"/> bytes.
    /// </summary>
    internal void Load(byte[] pooled, int length, int tableSize)
    {
        Dispose();
        _count = MessageSerializer.SliceSegments(new ReadOnlyMemory<byte>(pooled, 0, length), tableSize, ref _segments);
        _pooled = pooled;
        _traversalRemaining = Options.TraversalLimitInWords;
    }

    /// <summary>The root pointer (the first word of the first segment).</summary>
    /// <exception cref="CapnpFormatException">The first segment is empty.</exception>
    public PointerReader Root
    {
        get
        {
            if (_segments[0].Length < 8)
            {
                throw new CapnpFormatException("The message's first segment is empty: there is no root pointer.");
            }

            return new PointerReader(this, 0, 0, Options.NestingLimit);
        }
    }

    /// <summary>Reads the root as a struct.</summary>
    public StructReader GetRoot() => Root.GetStruct();

    /// <summary>Returns pooled memory this message was copied into.</summary>
    public void Dispose()
    {
        var pooled = Interlocked.Exchange(ref _pooled, null);
        if (pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    internal ReadOnlySpan<byte> Span(int segment) => _segments[segment].Span;

    internal ReadOnlyMemory<byte> Memory(int segment) => _segments[segment];

    internal int SegmentWords(int segment) => _segments[segment].Length >> 3;

    internal void ChargeTraversal(long words)
    {
        _traversalRemaining -= words;
        if (_traversalRemaining < 0)
        {
            throw new CapnpFormatException(
                $"Traversal limit exceeded: reading this message visits more than {Options.TraversalLimitInWords} words. " +
                "It is larger than allowed or points at the same data many times (see ReaderOptions.TraversalLimitInWords).");
        }
    }

    /// <summary>
    /// Follows the pointer at <paramref name="pointerByte"/> (and any far pointers) to its content. Returns the
    /// word that describes the content (0 for null) and where the content starts.
    /// </summary>
    internal ulong Resolve(int segment, int pointerByte, out int targetSegment, out int targetWord)
    {
        ulong word = BinaryPrimitives.ReadUInt64LittleEndian(Span(segment).Slice(pointerByte, 8));
        switch ((int)word & 3)
        {
            case 2:
                return ResolveFar(word, out targetSegment, out targetWord);
            case 3:
                targetSegment = segment;
                targetWord = 0;
                return word;
            default:
                if (word == 0)
                {
                    targetSegment = segment;
                    targetWord = 0;
                    return 0;
                }

                targetSegment = segment;
                targetWord = NearTarget(segment, pointerByte >> 3, word);
                return word;
        }
    }

    private int NearTarget(int segment, int pointerWord, ulong word)
    {
        long target = pointerWord + 1L + ((int)(uint)word >> 2);
        if (target < 0 || target > SegmentWords(segment))
        {
            throw new CapnpFormatException(
                $"Pointer at word {pointerWord} of segment {segment} points outside the segment (to word {target} of {SegmentWords(segment)}).");
        }

        return (int)target;
    }

    private ulong ResolveFar(ulong word, out int targetSegment, out int targetWord)
    {
        int padSegment = CheckSegment((uint)(word >> 32));
        int pad = (int)((word >> 3) & 0x1FFF_FFFF);
        bool doubleFar = (word & 4) != 0;
        int words = SegmentWords(padSegment);
        if (pad + (doubleFar ? 2L : 1L) > words)
        {
            throw new CapnpFormatException($"Far pointer's landing pad at word {pad} is outside segment {padSegment} ({words} words).");
        }

        var span = Span(padSegment);
        ulong landing = BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(pad * 8, 8));
        if (!doubleFar)
        {
            if (((int)landing & 3) == 2)
            {
                throw new CapnpFormatException($"Far pointer's landing pad (segment {padSegment}, word {pad}) is another far pointer.");
            }

            targetSegment = padSegment;
            if (landing == 0 || ((int)landing & 3) == 3)
            {
                targetWord = 0;
                return landing;
            }

            targetWord = NearTarget(padSegment, pad, landing);
            return landing;
        }

        if (((int)landing & 7) != 2)
        {
            throw new CapnpFormatException($"Double-far landing pad (segment {padSegment}, word {pad}) is not a single far pointer.");
        }

        ulong tag = BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(pad * 8 + 8, 8));
        if (((int)tag & 3) >= 2)
        {
            throw new CapnpFormatException($"Double-far tag (segment {padSegment}, word {pad + 1}) is not a struct or list pointer.");
        }

        targetSegment = CheckSegment((uint)(landing >> 32));
        targetWord = (int)((landing >> 3) & 0x1FFF_FFFF);
        if (targetWord > SegmentWords(targetSegment))
        {
            throw new CapnpFormatException($"Double-far pointer targets word {targetWord}, outside segment {targetSegment}.");
        }

        return tag;
    }

    private int CheckSegment(uint segment)
    {
        if (segment >= (uint)_count)
        {
            throw new CapnpFormatException($"Far pointer names segment {segment}, but the message has {_count}.");
        }

        return (int)segment;
    }

    internal void CheckBounds(int segment, int word, long words, string what)
    {
        if (word + words > SegmentWords(segment))
        {
            throw new CapnpFormatException(
                $"{what} at word {word} of segment {segment} runs past the segment's end ({words} words, {SegmentWords(segment) - word} left).");
        }
    }

    internal static void CheckNesting(int nesting)
    {
        if (nesting <= 0)
        {
            throw new CapnpFormatException("Nesting limit exceeded: the message nests too deeply or contains a pointer cycle (see ReaderOptions.NestingLimit).");
        }
    }

    private static ReadOnlyMemory<byte>[] ToArray(IReadOnlyList<ReadOnlyMemory<byte>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var array = new ReadOnlyMemory<byte>[segments.Count];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = segments[i];
        }

        return array;
    }

    internal static string Describe(ulong word) => ((int)word & 3) switch
    {
        0 => "a struct pointer",
        1 => "a list pointer",
        2 => "a far pointer",
        _ => "a capability pointer",
    };
}
