using System.Buffers;
using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// The standard stream framing: a segment table (segment count minus one, then each segment's size in words,
/// all 32-bit little-endian, padded to a word) followed by the segments.
/// </summary>
public static class MessageSerializer
{
    /// <summary>Bytes of the segment table for <paramref name="segmentCount"/> segments.</summary>
    public static int SegmentTableSize(int segmentCount) => ((segmentCount + 2) / 2) * 8;

    /// <summary>Bytes the framed message takes.</summary>
    public static long GetSerializedSize(MessageBuilder message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SegmentTableSize(message.SegmentCount) + message.TotalWords * 8;
    }

    /// <summary>Writes the framed message.</summary>
    public static void Write(MessageBuilder message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        int count = message.SegmentCount;
        int tableSize = SegmentTableSize(count);
        var table = output.GetSpan(tableSize)[..tableSize];
        BinaryPrimitives.WriteUInt32LittleEndian(table, (uint)(count - 1));
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(table[(4 + i * 4)..], (uint)(message.GetSegment(i).Length / 8));
        }

        if (count % 2 == 0)
        {
            table[^4..].Clear();
        }

        output.Advance(tableSize);
        for (int i = 0; i < count; i++)
        {
            output.Write(message.GetSegment(i).Span);
        }
    }

    /// <summary>The framed message as a new array.</summary>
    public static byte[] ToArray(MessageBuilder message)
    {
        var buffer = new ArrayBufferWriter<byte>((int)GetSerializedSize(message));
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the framed message to a stream.</summary>
    public static async ValueTask WriteAsync(MessageBuilder message, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new ArrayBufferWriter<byte>((int)GetSerializedSize(message));
        Write(message, buffer);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one framed message from the start of <paramref name="buffer"/> without copying: the reader views
    /// <paramref name="buffer"/>, which must stay unchanged while it is used.
    /// </summary>
    /// <exception cref="CapnpFormatException">The buffer holds no complete, valid message.</exception>
    public static MessageReader Read(ReadOnlyMemory<byte> buffer, ReaderOptions? options = null) =>
        Read(buffer, out _, options);

    /// <summary>Reads one framed message from the start of <paramref name="buffer"/>, reporting how many bytes it took.</summary>
    public static MessageReader Read(ReadOnlyMemory<byte> buffer, out int bytesConsumed, ReaderOptions? options = null)
    {
        options ??= ReaderOptions.Default;
        var header = new ReadOnlySequence<byte>(buffer);
        if (!TryReadHeader(header, options, out int tableSize, out long length))
        {
            throw new CapnpFormatException($"Truncated message: {buffer.Length} bytes do not hold the whole segment table and segments.");
        }

        if (length > buffer.Length)
        {
            throw new CapnpFormatException($"Truncated message: the segment table announces {length} bytes but only {buffer.Length} are present.");
        }

        bytesConsumed = (int)length;
        return new MessageReader(Slice(buffer, tableSize), options, pooled: null);
    }

    /// <summary>
    /// Reads one framed message from the front of a pipe's buffer when it is complete, copying it into pooled
    /// memory (returned when the message is disposed) and advancing <paramref name="buffer"/> past it.
    /// </summary>
    /// <returns>False when more bytes are needed.</returns>
    /// <exception cref="CapnpFormatException">The segment table is invalid or announces more than the limits allow.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, ReaderOptions options, out MessageReader? message)
    {
        ArgumentNullException.ThrowIfNull(options);
        message = null;
        if (!TryReadHeader(buffer, options, out int tableSize, out long length) || buffer.Length < length)
        {
            return false;
        }

        var pooled = ArrayPool<byte>.Shared.Rent((int)length);
        buffer.Slice(0, length).CopyTo(pooled);
        buffer = buffer.Slice(length);
        try
        {
            message = new MessageReader(Slice(new ReadOnlyMemory<byte>(pooled, 0, (int)length), tableSize), options, pooled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pooled);
            throw;
        }

        return true;
    }

    /// <summary>Like <see cref="TryRead(ref ReadOnlySequence{byte}, ReaderOptions, out MessageReader?)"/>, loading the message into <paramref name="into"/>.</summary>
    internal static bool TryReadInto(ref ReadOnlySequence<byte> buffer, MessageReader into)
    {
        if (!TryReadHeader(buffer, into.Options, out int tableSize, out long length) || buffer.Length < length)
        {
            return false;
        }

        var pooled = ArrayPool<byte>.Shared.Rent((int)length);
        buffer.Slice(0, length).CopyTo(pooled);
        buffer = buffer.Slice(length);
        into.Load(pooled, (int)length, tableSize);
        return true;
    }

    /// <summary>Reads one framed message from a stream; null at a clean end of stream before any byte.</summary>
    /// <exception cref="CapnpFormatException">The message is invalid or the stream ends inside it.</exception>
    public static async ValueTask<MessageReader?> ReadAsync(Stream stream, ReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= ReaderOptions.Default;
        var first = new byte[8];
        int read = await stream.ReadAtLeastAsync(first, 8, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < 8)
        {
            throw new CapnpFormatException("Truncated message: the stream ended inside the segment table.");
        }

        int segments = CheckSegmentCount(BinaryPrimitives.ReadUInt32LittleEndian(first), options);
        int tableSize = SegmentTableSize(segments);
        var table = new byte[tableSize];
        first.CopyTo(table, 0);
        await ReadExactlyAsync(stream, table.AsMemory(8), cancellationToken).ConfigureAwait(false);
        long length = tableSize + TotalBytes(table, segments, options);
        var pooled = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            table.CopyTo(pooled, 0);
            await ReadExactlyAsync(stream, pooled.AsMemory(tableSize, (int)length - tableSize), cancellationToken).ConfigureAwait(false);
            return new MessageReader(Slice(new ReadOnlyMemory<byte>(pooled, 0, (int)length), tableSize), options, pooled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pooled);
            throw;
        }
    }

    /// <summary>
    /// Parses the segment table at the front of <paramref name="buffer"/>: false when it is incomplete, otherwise
    /// the table's size and the whole message's length.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySequence<byte> buffer, ReaderOptions options, out int tableSize, out long messageLength)
    {
        ArgumentNullException.ThrowIfNull(options);
        tableSize = 0;
        messageLength = 0;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> first = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(first);
        int segments = CheckSegmentCount(BinaryPrimitives.ReadUInt32LittleEndian(first), options);
        tableSize = SegmentTableSize(segments);
        if (buffer.Length < tableSize)
        {
            return false;
        }

        byte[]? rented = null;
        Span<byte> table = tableSize <= 512 ? stackalloc byte[tableSize] : (rented = ArrayPool<byte>.Shared.Rent(tableSize));
        try
        {
            buffer.Slice(0, tableSize).CopyTo(table);
            messageLength = tableSize + TotalBytes(table, segments, options);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    internal static int CheckSegmentCount(uint countMinusOne, ReaderOptions options)
    {
        if (countMinusOne >= (uint)options.MaxSegments)
        {
            throw new CapnpFormatException(
                $"The segment table announces {(ulong)countMinusOne + 1} segments, more than the limit of {options.MaxSegments} (see ReaderOptions.MaxSegments).");
        }

        return (int)countMinusOne + 1;
    }

    private static long TotalBytes(ReadOnlySpan<byte> table, int segments, ReaderOptions options)
    {
        long words = 0;
        for (int i = 0; i < segments; i++)
        {
            words += BinaryPrimitives.ReadUInt32LittleEndian(table[(4 + i * 4)..]);
        }

        if (words > options.TraversalLimitInWords || words * 8 > Array.MaxLength - table.Length)
        {
            throw new CapnpFormatException(
                $"The segment table announces a message of {words} words, larger than the limit of {options.TraversalLimitInWords} (see ReaderOptions.TraversalLimitInWords).");
        }

        return words * 8;
    }

    internal static ReadOnlyMemory<byte>[] Slice(ReadOnlyMemory<byte> framed, int tableSize)
    {
        ReadOnlyMemory<byte>[] segments = [];
        SliceSegments(framed, tableSize, ref segments);
        return segments;
    }

    /// <summary>Views each segment of a validated framed message; grows <paramref name="segments"/> when it is too small.</summary>
    internal static int SliceSegments(ReadOnlyMemory<byte> framed, int tableSize, ref ReadOnlyMemory<byte>[] segments)
    {
        var span = framed.Span;
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(span) + 1;
        if (segments.Length < count)
        {
            segments = new ReadOnlyMemory<byte>[count];
        }

        int offset = tableSize;
        for (int i = 0; i < count; i++)
        {
            int bytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(4 + i * 4)..]) * 8;
            segments[i] = framed.Slice(offset, bytes);
            offset += bytes;
        }

        return count;
    }

    private static async ValueTask ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new CapnpFormatException("Truncated message: the stream ended inside the message.", e);
        }
    }
}
