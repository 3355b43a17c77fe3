using System.Buffers;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>Small messages and their length-prefixed frames, for the framing tests.</summary>
internal static class FramingSamples
{
    public static MessageBuilder Message(int number, string text)
    {
        var message = new MessageBuilder();
        var root = message.InitRoot(1, 1);
        root.WriteInt32(0, number);
        root.WriteText(0, text);
        return message;
    }

    public static byte[] Frame(MessageBuilder message)
    {
        var output = new ArrayBufferWriter<byte>();
        MessageFraming.Write(message, MessageSerializer.GetSerializedSize(message), FrameFormat.LengthPrefixed, output);
        return output.WrittenSpan.ToArray();
    }
}
