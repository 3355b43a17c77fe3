namespace Hanzo.Zt.Capnp;

/// <summary>
/// Builds a Cap'n Proto message in segments rented from an <see cref="System.Buffers.ArrayPool{T}"/>. Content
/// is allocated front to back; a pointer whose target does not fit its own segment goes through a far pointer.
/// Dispose returns the segments to the pool.
/// </summary>
public sealed class MessageBuilder : IDisposable
{
    /// <summary>The largest segment the encoding can address (far pointer offsets have 29 bits).</summary>
    public const int MaxSegmentWords = (1 << 29) - 1;

    private readonly MessageBuilderOptions _options;
    private byte[][] _segments = new byte[4][];
    private int[] _used = new int[4];
    private int[] _capacity = new int[4];
    private int _count;
    private long _totalWords;

    /// <summary>Creates an empty message whose first word is the root pointer.</summary>
    public MessageBuilder(MessageBuilderOptions? options = null)
    {
        _options = options ?? MessageBuilderOptions.Default;
        if (_options.FirstSegmentWords < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "FirstSegmentWords must be at least 1.");
        }

        AddSegment(_options.FirstSegmentWords);
        _used[0] = 1;
        _totalWords = 1;
    }

    /// <summary>The root pointer.</summary>
    public PointerBuilder Root => new(this, 0, 0);

    /// <summary>Number of segments in use.</summary>
    public int SegmentCount => _count;

    /// <summary>Words allocated so far, across segments.</summary>
    public long TotalWords => _totalWords;

    /// <summary>Starts the root struct.</summary>
    public StructBuilder InitRoot(int dataWords, int pointerCount) => Root.InitStruct(dataWords, pointerCount);

    /// <summary>The used bytes of segment <paramref name="index"/>, valid until the builder changes or is disposed.</summary>
    public ReadOnlyMemory<byte> GetSegment(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return new ReadOnlyMemory<byte>(_segments[index], 0, _used[index] * 8);
    }

    /// <summary>A reader over the message as built so far (no copy), for checking or local delivery.</summary>
    public MessageReader AsReader(ReaderOptions? options = null)
    {
        var segments = new ReadOnlyMemory<byte>[_count];
        for (int i = 0; i < _count; i++)
        {
            segments[i] = GetSegment(i);
        }

        return new MessageReader(segments, options ?? ReaderOptions.Default, pooled: null);
    }

    /// <summary>Returns the segments to the pool.</summary>
    public void Dispose()
    {
        for (int i = 0; i < _count; i++)
        {
            _options.Pool.Return(_segments[i]);
            _segments[i] = null!;
        }

        _count = 0;
    }

    /// <summary>
    /// Empties the message so it can be built again, keeping its first segment and returning the others to the
    /// pool; a disposed builder gets a fresh first segment. Readers and spans taken earlier become invalid.
    /// </summary>
    public void Reset()
    {
        if (_count == 0)
        {
            AddSegment(_options.FirstSegmentWords);
        }

        for (int i = 1; i < _count; i++)
        {
            _options.Pool.Return(_segments[i]);
            _segments[i] = null!;
        }

        _count = 1;
        _segments[0].AsSpan(0, 8).Clear();
        _used[0] = 1;
        _totalWords = 1;
    }

    internal Span<byte> Span(int segment) => _segments[segment].AsSpan(0, _used[segment] * 8);

    /// <summary>Allocates zeroed words in <paramref name="segment"/> if they fit (always, for a single-segment message).</summary>
    internal bool TryAllocate(int segment, int words, out int word)
    {
        ObjectDisposedException.ThrowIf(_count == 0, this);
        int used = _used[segment];
        if (used + (long)words > _capacity[segment])
        {
            if (!_options.SingleSegment)
            {
                word = 0;
                return false;
            }

            Grow(segment, used + (long)words);
        }

        _segments[segment].AsSpan(used * 8, words * 8).Clear();
        _used[segment] = used + words;
        _totalWords += words;
        word = used;
        return true;
    }

    /// <summary>Allocates zeroed words in the newest segment other than <paramref name="avoid"/>, or a new one.</summary>
    internal int AllocateElsewhere(int avoid, int words, out int word)
    {
        int last = _count - 1;
        if (last != avoid && TryAllocate(last, words, out word))
        {
            return last;
        }

        long size = _options.FixedSegmentSize ? _options.FirstSegmentWords : Math.Max(_options.FirstSegmentWords, _totalWords);
        AddSegment(Math.Max(size, words));
        TryAllocate(_count - 1, words, out word);
        return _count - 1;
    }

    private void AddSegment(long words)
    {
        if (words > MaxSegmentWords)
        {
            throw new InvalidOperationException($"A segment of {words} words exceeds the encoding's limit of {MaxSegmentWords}.");
        }

        if (_count == _segments.Length)
        {
            Array.Resize(ref _segments, _count * 2);
            Array.Resize(ref _used, _count * 2);
            Array.Resize(ref _capacity, _count * 2);
        }

        // Segments hold exactly the words asked for (not all the pool hands out), so layouts are predictable.
        _segments[_count] = _options.Pool.Rent(checked((int)(words * 8)));
        _capacity[_count] = (int)words;
        _used[_count] = 0;
        _count++;
    }

    private void Grow(int segment, long minimumWords)
    {
        long words = Math.Max(minimumWords, (long)_capacity[segment] * 2);
        words = Math.Min(words, Math.Max(minimumWords, Array.MaxLength / 8));
        if (minimumWords > MaxSegmentWords || words * 8 > Array.MaxLength)
        {
            throw new InvalidOperationException($"A single-segment message of {minimumWords} words exceeds the largest possible segment.");
        }

        var larger = _options.Pool.Rent((int)(words * 8));
        _segments[segment].AsSpan(0, _used[segment] * 8).CopyTo(larger);
        _options.Pool.Return(_segments[segment]);
        _segments[segment] = larger;
        _capacity[segment] = (int)words;
    }
}
