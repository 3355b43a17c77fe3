using System.Buffers;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A <see cref="FrameWriter"/>'s outgoing batch: bytes appended to a chain of fixed-size arrays rented from the
/// shared pool, read back as one <see cref="ReadOnlySequence{T}"/>. Unlike one growing array, a batch that builds up
/// while the transport is slow costs no copy to grow and no large-object allocation, and its memory goes back to the
/// pool once written. Not thread-safe: the writer appends under its lock, and one write loop reads it.
/// </summary>
internal sealed class BatchBuffer : IBufferWriter<byte>
{
    private readonly int _segmentBytes;
    private readonly List<Segment> _segments = [];
    private Segment? _current;
    private int _count;

    /// <param name="segmentBytes">The size of each array rented (a larger request gets an array of its own size).</param>
    public BatchBuffer(int segmentBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentBytes, 256);
        _segmentBytes = segmentBytes;
    }

    /// <summary>Bytes appended since the last <see cref="Reset"/>.</summary>
    public long WrittenCount { get; private set; }

    /// <summary>The bytes appended, in order; valid until the next append or <see cref="Reset"/>.</summary>
    public ReadOnlySequence<byte> WrittenSequence
    {
        get
        {
            if (_count == 0)
            {
                return ReadOnlySequence<byte>.Empty;
            }

            var first = _segments[0];
            if (_count == 1)
            {
                return new ReadOnlySequence<byte>(first.Array, 0, first.Used);
            }

            long running = 0;
            for (int i = 0; i < _count; i++)
            {
                var segment = _segments[i];
                segment.Link(running, i + 1 < _count ? _segments[i + 1] : null);
                running += segment.Used;
            }

            return new ReadOnlySequence<byte>(first, 0, _current!, _current!.Used);
        }
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_current is null || count > _current.Array.Length - _current.Used)
        {
            throw new InvalidOperationException("advanced past the memory handed out");
        }

        _current.Used += count;
        WrittenCount += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).Array.AsMemory(_current!.Used);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).Array.AsSpan(_current!.Used);

    /// <summary>Appends <paramref name="bytes"/>, across arrays where the current one fills up.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var span = GetSpan(1);
            int n = Math.Min(span.Length, bytes.Length);
            bytes[..n].CopyTo(span);
            Advance(n);
            bytes = bytes[n..];
        }
    }

    /// <summary>Appends <paramref name="count"/> zero bytes.</summary>
    public void WriteZeros(int count)
    {
        while (count > 0)
        {
            var span = GetSpan(1);
            int n = Math.Min(span.Length, count);
            span[..n].Clear();
            Advance(n);
            count -= n;
        }
    }

    /// <summary>Empties the batch and returns its arrays to the pool (the segment objects are kept for reuse).</summary>
    public void Reset()
    {
        for (int i = 0; i < _count; i++)
        {
            _segments[i].Release();
        }

        _count = 0;
        _current = null;
        WrittenCount = 0;
    }

    private Segment Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_current is { } current && current.Array.Length - current.Used >= sizeHint)
        {
            return current;
        }

        if (_current is { Used: 0 } empty)
        {
            // Rented for a smaller request and still empty: swap its array for a large enough one.
            empty.Release();
            empty.Rent(Math.Max(sizeHint, _segmentBytes));
            return empty;
        }

        if (_count == _segments.Count)
        {
            _segments.Add(new Segment());
        }

        var next = _segments[_count++];
        next.Rent(Math.Max(sizeHint, _segmentBytes));
        _current = next;
        return next;
    }

    /// <summary>One rented array and how much of it is used; linked into a sequence when the batch is read.</summary>
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public byte[] Array { get; private set; } = [];

        public int Used { get; set; }

        public void Rent(int bytes)
        {
            Array = TransportBuffers.Arrays.Rent(bytes);
            Used = 0;
        }

        public void Release()
        {
            TransportBuffers.Arrays.Return(Array);
            Array = [];
            Used = 0;
            Memory = default;
            Next = null;
        }

        public void Link(long runningIndex, Segment? next)
        {
            Memory = Array.AsMemory(0, Used);
            RunningIndex = runningIndex;
            Next = next;
        }
    }
}
