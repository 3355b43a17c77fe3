using System.Buffers;
using System.Buffers.Binary;
using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Zap.Framing;

/// <summary>Cuts RPC messages out of a pipe's bytes and frames outgoing ones, in one of the <see cref="ZapFraming"/>s.</summary>
internal abstract class FrameCodec
{
    protected FrameCodec(int maxMessageBytes, ReaderOptions readerOptions)
    {
        MaxMessageBytes = maxMessageBytes;
        ReaderOptions = readerOptions;
    }

    public int MaxMessageBytes { get; }

    public ReaderOptions ReaderOptions { get; }

    public static FrameCodec Create(ZapFraming framing, int maxMessageBytes, ReaderOptions readerOptions) => framing switch
    {
        ZapFraming.Zap => new ZapFrameCodec(maxMessageBytes, readerOptions),
        ZapFraming.Standard => new StandardFrameCodec(maxMessageBytes, readerOptions),
        _ => throw new ArgumentOutOfRangeException(nameof(framing), framing, "unknown framing"),
    };

    /// <summary>
    /// Takes one whole message from the front of <paramref name="buffer"/> into pooled memory, advancing past it.
    /// </summary>
    /// <returns>False when more bytes are needed.</returns>
    /// <exception cref="ZapProtocolException">The frame is empty, too large or not a valid message.</exception>
    public abstract bool TryRead(ref ReadOnlySequence<byte> buffer, out MessageReader? message);

    /// <summary>The bytes <paramref name="message"/> takes framed.</summary>
    /// <exception cref="ZapException">The message is larger than the frame limit.</exception>
    public abstract long FramedSize(MessageBuilder message);

    /// <summary>Writes <paramref name="message"/> framed to <paramref name="output"/>.</summary>
    public abstract void Write(MessageBuilder message, IBufferWriter<byte> output);

    protected long CheckedSize(MessageBuilder message)
    {
        long size = MessageSerializer.GetSerializedSize(message);
        if (size > MaxMessageBytes)
        {
            throw new ZapException(ZapExceptionType.Failed, $"the message is {size} bytes; the limit is {MaxMessageBytes} bytes per message");
        }

        return size;
    }

    protected static bool TakeMessage(ref ReadOnlySequence<byte> buffer, ReaderOptions options, out MessageReader? message)
    {
        try
        {
            return MessageSerializer.TryRead(ref buffer, options, out message);
        }
        catch (CapnpFormatException e)
        {
            throw new ZapProtocolException($"malformed message: {e.Message}", e);
        }
    }
}

/// <summary>ZAP framing: a 4-byte big-endian length, then exactly that many bytes of standard message.</summary>
internal sealed class ZapFrameCodec(int maxMessageBytes, ReaderOptions readerOptions) : FrameCodec(maxMessageBytes, readerOptions)
{
    public override bool TryRead(ref ReadOnlySequence<byte> buffer, out MessageReader? message)
    {
        message = null;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length == 0)
        {
            throw new ZapProtocolException("received a zero-length frame; every ZAP frame holds one message");
        }

        if (length > (uint)MaxMessageBytes)
        {
            throw new ZapProtocolException($"received a frame of {length} bytes; the limit is {MaxMessageBytes} bytes");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        var frame = buffer.Slice(4, length);
        if (!TakeMessage(ref frame, ReaderOptions, out message))
        {
            throw new ZapProtocolException($"a frame of {length} bytes holds less than the message its segment table announces");
        }

        if (frame.Length != 0)
        {
            message!.Dispose();
            message = null;
            throw new ZapProtocolException($"a frame of {length} bytes has {frame.Length} bytes after its message");
        }

        buffer = buffer.Slice(4 + length);
        return true;
    }

    public override long FramedSize(MessageBuilder message) => 4 + CheckedSize(message);

    public override void Write(MessageBuilder message, IBufferWriter<byte> output)
    {
        long size = CheckedSize(message);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), (uint)size);
        output.Advance(4);
        MessageSerializer.Write(message, output);
    }
}

/// <summary>The standard stream framing: the message's own segment table delimits it.</summary>
internal sealed class StandardFrameCodec(int maxMessageBytes, ReaderOptions readerOptions) : FrameCodec(maxMessageBytes, readerOptions)
{
    public override bool TryRead(ref ReadOnlySequence<byte> buffer, out MessageReader? message)
    {
        message = null;
        try
        {
            if (!MessageSerializer.TryReadHeader(buffer, ReaderOptions, out _, out long length))
            {
                return false;
            }

            if (length > MaxMessageBytes)
            {
                throw new ZapProtocolException($"received a message of {length} bytes; the limit is {MaxMessageBytes} bytes");
            }
        }
        catch (CapnpFormatException e)
        {
            throw new ZapProtocolException($"malformed message: {e.Message}", e);
        }

        return TakeMessage(ref buffer, ReaderOptions, out message);
    }

    public override long FramedSize(MessageBuilder message) => CheckedSize(message);

    public override void Write(MessageBuilder message, IBufferWriter<byte> output)
    {
        CheckedSize(message);
        MessageSerializer.Write(message, output);
    }
}
