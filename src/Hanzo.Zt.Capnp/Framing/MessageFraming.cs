using System.Buffers;
using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>How messages are delimited on a byte stream.</summary>
public enum FrameFormat
{
    /// <summary>A 4-byte big-endian payload length, then exactly that many bytes of standard message.</summary>
    LengthPrefixed = 0,

    /// <summary>The bare standard stream framing: the message's own segment table delimits it.</summary>
    Standard = 1,
}

/// <summary>
/// Cuts messages out of received bytes and frames outgoing ones, in a <see cref="FrameFormat"/>, with a limit on
/// the size of one message. One implementation for every protocol that carries Cap'n Proto messages on a stream.
/// </summary>
public static class MessageFraming
{
    private const int PrefixBytes = 4;

    /// <summary>The bytes <paramref name="message"/> takes framed, or -1 when its message is over <paramref name="maxMessageBytes"/>.</summary>
    public static long FramedSize(MessageBuilder message, FrameFormat format, int maxMessageBytes)
    {
        long size = MessageSerializer.GetSerializedSize(message);
        if (size > maxMessageBytes)
        {
            return -1;
        }

        return format == FrameFormat.LengthPrefixed ? PrefixBytes + size : size;
    }

    /// <summary>Writes <paramref name="message"/> framed; <paramref name="messageBytes"/> is its serialized size.</summary>
    public static void Write(MessageBuilder message, long messageBytes, FrameFormat format, IBufferWriter<byte> output)
    {
        if (format == FrameFormat.LengthPrefixed)
        {
            BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(PrefixBytes), (uint)messageBytes);
            output.Advance(PrefixBytes);
        }

        MessageSerializer.Write(message, output);
    }

    /// <summary>
    /// Takes one whole message from the front of <paramref name="buffer"/> into pooled memory and advances past it.
    /// </summary>
    /// <returns>False when more bytes are needed.</returns>
    /// <exception cref="CapnpFormatException">
    /// The frame is empty, over <paramref name="maxMessageBytes"/>, or does not hold exactly one valid message.
    /// </exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, FrameFormat format, int maxMessageBytes, ReaderOptions options, out MessageReader? message)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TryReadNew(ref buffer, format, maxMessageBytes, options, out message);
    }

    /// <summary>
    /// Like <see cref="TryRead(ref ReadOnlySequence{byte}, FrameFormat, int, ReaderOptions, out MessageReader?)"/>,
    /// loading the message into <paramref name="into"/> (made with <see cref="MessageReader(ReaderOptions)"/>) in
    /// place of a new reader: the memory of the message it held before goes back to the pool.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, FrameFormat format, int maxMessageBytes, MessageReader into) =>
        TryLoad(ref buffer, format, maxMessageBytes, into, inPlace: false);

    /// <summary>
    /// Like <see cref="TryRead(ref ReadOnlySequence{byte}, FrameFormat, int, MessageReader)"/>, but a message that
    /// lies in one segment of <paramref name="buffer"/> is read in place, without a copy: <paramref name="into"/>
    /// then views the buffer's memory and is valid only until the caller lets go of that memory (for a pipe, until
    /// it advances past the message). A message split across segments is copied into pooled memory as before.
    /// </summary>
    /// <returns>False when more bytes are needed.</returns>
    /// <exception cref="CapnpFormatException">
    /// The frame is empty, over <paramref name="maxMessageBytes"/>, or does not hold exactly one valid message.
    /// </exception>
    public static bool TryReadInPlace(ref ReadOnlySequence<byte> buffer, FrameFormat format, int maxMessageBytes, MessageReader into) =>
        TryLoad(ref buffer, format, maxMessageBytes, into, inPlace: true);

    // Both reusable-reader reads: find the frame, then view it in place (when asked and it lies in one segment) or
    // copy it into pooled memory.
    private static bool TryLoad(ref ReadOnlySequence<byte> buffer, FrameFormat format, int maxMessageBytes, MessageReader into, bool inPlace)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (!TryLocate(buffer, format, maxMessageBytes, into.Options, out int start, out long length))
        {
            return false;
        }

        var frame = buffer.Slice(start, length);
        if (inPlace && frame.IsSingleSegment)
        {
            int used = into.Reset(frame.First);
            if (used != length)
            {
                throw new CapnpFormatException($"a frame of {length} bytes has {length - used} bytes after its message");
            }
        }
        else
        {
            if (!MessageSerializer.TryReadInto(ref frame, into))
            {
                throw new CapnpFormatException($"a frame of {length} bytes holds less than the message its segment table announces");
            }

            if (frame.Length != 0)
            {
                into.Dispose();
                throw new CapnpFormatException($"a frame of {length} bytes has {frame.Length} bytes after its message");
            }
        }

        buffer = buffer.Slice(start + length);
        return true;
    }

    /// <summary>
    /// Where the next whole message lies in <paramref name="buffer"/>: false until it is all there. A message over
    /// <paramref name="maxMessageBytes"/> is refused as soon as its prefix or segment table says so.
    /// </summary>
    private static bool TryLocate(ReadOnlySequence<byte> buffer, FrameFormat format, int maxMessageBytes, ReaderOptions options, out int start, out long length)
    {
        start = 0;
        if (format == FrameFormat.LengthPrefixed)
        {
            bool whole = TryReadPrefix(buffer, maxMessageBytes, out uint prefixed);
            (start, length) = (PrefixBytes, prefixed);
            return whole;
        }

        if (!MessageSerializer.TryReadHeader(buffer, options, out _, out length))
        {
            return false;
        }

        if (length > maxMessageBytes)
        {
            throw new CapnpFormatException($"received a message of {length} bytes; the limit is {maxMessageBytes} bytes");
        }

        return buffer.Length >= length;
    }

    /// <summary>Reads a frame's length prefix; false until the whole frame is in <paramref name="buffer"/>.</summary>
    private static bool TryReadPrefix(ReadOnlySequence<byte> buffer, int maxMessageBytes, out uint length)
    {
        length = 0;
        if (buffer.Length < PrefixBytes)
        {
            return false;
        }

        var first = buffer.FirstSpan;
        if (first.Length >= PrefixBytes)
        {
            length = BinaryPrimitives.ReadUInt32BigEndian(first);
        }
        else
        {
            Span<byte> prefix = stackalloc byte[PrefixBytes];
            buffer.Slice(0, PrefixBytes).CopyTo(prefix);
            length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        }

        if (length == 0)
        {
            throw new CapnpFormatException("received a zero-length frame; every frame holds one message");
        }

        if (length > (uint)maxMessageBytes)
        {
            throw new CapnpFormatException($"received a frame of {length} bytes; the limit is {maxMessageBytes} bytes");
        }

        return buffer.Length >= PrefixBytes + length;
    }

    private static bool TryReadNew(ref ReadOnlySequence<byte> buffer, FrameFormat format, int maxMessageBytes, ReaderOptions options, out MessageReader? message)
    {
        message = null;
        if (!TryLocate(buffer, format, maxMessageBytes, options, out int start, out long length))
        {
            return false;
        }

        var frame = buffer.Slice(start, length);
        if (!MessageSerializer.TryRead(ref frame, options, out message))
        {
            throw new CapnpFormatException($"a frame of {length} bytes holds less than the message its segment table announces");
        }

        if (frame.Length != 0)
        {
            message!.Dispose();
            message = null;
            throw new CapnpFormatException($"a frame of {length} bytes has {frame.Length} bytes after its message");
        }

        buffer = buffer.Slice(start + length);
        return true;
    }
}
