using System.Buffers;
using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// The packed encoding: each word becomes a tag byte (one bit per non-zero byte) and its non-zero bytes; a
/// zero word is followed by a count of further zero words, an all-non-zero word by a count of words copied
/// verbatim. Byte-for-byte what the reference implementation produces.
/// </summary>
public static class PackedEncoding
{
    /// <summary>Packs <paramref name="words"/> (a whole number of words).</summary>
    public static void Pack(ReadOnlySpan<byte> words, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (words.Length % 8 != 0)
        {
            throw new ArgumentException("Packing works on whole 8-byte words.", nameof(words));
        }

        int count = words.Length / 8;
        int i = 0;
        while (i < count)
        {
            var word = words.Slice(i * 8, 8);
            var span = output.GetSpan(10);
            int tag = 0;
            int length = 1;
            for (int b = 0; b < 8; b++)
            {
                if (word[b] != 0)
                {
                    tag |= 1 << b;
                    span[length++] = word[b];
                }
            }

            span[0] = (byte)tag;
            i++;
            if (tag == 0)
            {
                int run = 0;
                while (i < count && run < 255 && BinaryPrimitives.ReadUInt64LittleEndian(words.Slice(i * 8, 8)) == 0)
                {
                    run++;
                    i++;
                }

                span[length++] = (byte)run;
                output.Advance(length);
            }
            else if (tag == 0xFF)
            {
                int start = i;
                while (i < count && i - start < 255 && ZeroBytes(words.Slice(i * 8, 8)) <= 1)
                {
                    i++;
                }

                span[length++] = (byte)(i - start);
                output.Advance(length);
                output.Write(words[(start * 8)..(i * 8)]);
            }
            else
            {
                output.Advance(length);
            }
        }
    }

    /// <summary>Writes the framed message, packed.</summary>
    public static void WritePacked(MessageBuilder message, IBufferWriter<byte> output)
    {
        long size = MessageSerializer.GetSerializedSize(message);
        var buffer = ArrayPool<byte>.Shared.Rent(checked((int)size));
        try
        {
            var writer = new FixedBufferWriter(buffer);
            MessageSerializer.Write(message, writer);
            Pack(buffer.AsSpan(0, (int)size), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one packed framed message from the front of <paramref name="packed"/> into pooled memory.</summary>
    /// <exception cref="CapnpFormatException">The input is truncated or not a valid packed message.</exception>
    public static MessageReader ReadPacked(ReadOnlySpan<byte> packed, out int bytesConsumed, ReaderOptions? options = null)
    {
        options ??= ReaderOptions.Default;
        var unpacker = new Unpacker(packed);
        Span<byte> first = stackalloc byte[8];
        unpacker.Unpack(first);
        int segments = MessageSerializer.CheckSegmentCount(BinaryPrimitives.ReadUInt32LittleEndian(first), options);
        int tableSize = MessageSerializer.SegmentTableSize(segments);
        var table = new byte[tableSize];
        first.CopyTo(table);
        unpacker.Unpack(table.AsSpan(8));
        MessageSerializer.TryReadHeader(new ReadOnlySequence<byte>(table), options, out _, out long length);
        var pooled = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            table.CopyTo(pooled, 0);
            unpacker.Unpack(pooled.AsSpan(tableSize, (int)length - tableSize));
            unpacker.EnsureRunsComplete();
            bytesConsumed = unpacker.Position;
            return new MessageReader(MessageSerializer.Slice(new ReadOnlyMemory<byte>(pooled, 0, (int)length), tableSize), options, pooled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pooled);
            throw;
        }
    }

    /// <summary>Unpacks a whole packed buffer (for example a packed flat message) into words.</summary>
    public static byte[] Unpack(ReadOnlySpan<byte> packed)
    {
        var output = new ArrayBufferWriter<byte>(packed.Length * 2 + 8);
        var unpacker = new Unpacker(packed);
        while (!unpacker.AtEnd)
        {
            unpacker.Unpack(output.GetSpan(8)[..8]);
            output.Advance(8);
        }

        unpacker.EnsureRunsComplete();
        return output.WrittenSpan.ToArray();
    }

    private static int ZeroBytes(ReadOnlySpan<byte> word)
    {
        int zeros = 0;
        foreach (byte b in word)
        {
            zeros += b == 0 ? 1 : 0;
        }

        return zeros;
    }

    private ref struct Unpacker
    {
        private readonly ReadOnlySpan<byte> _input;
        private int _position;
        private int _zeroWords;
        private int _literalWords;

        public Unpacker(ReadOnlySpan<byte> input) => _input = input;

        public readonly int Position => _position;

        public readonly bool AtEnd => _position >= _input.Length && _zeroWords == 0 && _literalWords == 0;

        public void Unpack(scoped Span<byte> output)
        {
            for (int offset = 0; offset < output.Length; offset += 8)
            {
                var word = output.Slice(offset, 8);
                if (_zeroWords > 0)
                {
                    word.Clear();
                    _zeroWords--;
                    continue;
                }

                if (_literalWords > 0)
                {
                    Take(8).CopyTo(word);
                    _literalWords--;
                    continue;
                }

                int tag = Take(1)[0];
                for (int b = 0; b < 8; b++)
                {
                    word[b] = (tag & (1 << b)) != 0 ? Take(1)[0] : (byte)0;
                }

                if (tag == 0)
                {
                    _zeroWords = Take(1)[0];
                }
                else if (tag == 0xFF)
                {
                    _literalWords = Take(1)[0];
                }
            }
        }

        public readonly void EnsureRunsComplete()
        {
            if (_zeroWords != 0 || _literalWords != 0)
            {
                throw new CapnpFormatException("A packed run continues past the end of the message.");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_position + count > _input.Length)
            {
                throw new CapnpFormatException("Truncated packed message: the input ends inside a word.");
            }

            var result = _input.Slice(_position, count);
            _position += count;
            return result;
        }
    }

    private sealed class FixedBufferWriter(byte[] buffer) : IBufferWriter<byte>
    {
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(_written);
    }
}
