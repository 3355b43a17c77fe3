using System.Buffers;
using static Hanzo.Zt.Capnp.Tests.FramingSamples;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>Framed messages loaded one after another into one reusable <see cref="MessageReader"/>.</summary>
public sealed class ReusedReaderFramingTests
{
    [Theory]
    [InlineData(FrameFormat.LengthPrefixed)]
    [InlineData(FrameFormat.Standard)]
    public void One_reader_reads_each_message_of_a_stream_in_turn(FrameFormat format)
    {
        var output = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 20; i++)
        {
            using var message = Message(i, new string('y', i * 37));
            MessageFraming.Write(message, MessageSerializer.GetSerializedSize(message), format, output);
        }

        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        using var reader = new MessageReader(ReaderOptions.Default);
        var read = new List<(int, int)>();
        while (MessageFraming.TryRead(ref buffer, format, 1 << 20, reader))
        {
            var root = reader.GetRoot();
            read.Add((root.ReadInt32(0), root.ReadText(0).Length));
        }

        buffer.IsEmpty.ShouldBeTrue();
        read.ShouldBe(Enumerable.Range(0, 20).Select(i => (i, i * 37)));
    }

    [Fact]
    public void A_reader_that_holds_no_message_yet_has_no_root()
    {
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => reader.GetRoot());
    }

    [Fact]
    public void A_partial_frame_needs_more_bytes_and_keeps_the_message_already_loaded()
    {
        using var first = Message(1, "first");
        using var second = Message(2, "second");
        byte[] bytes = [.. Frame(first), .. Frame(second)];
        var buffer = new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1);
        using var reader = new MessageReader(ReaderOptions.Default);

        MessageFraming.TryRead(ref buffer, FrameFormat.LengthPrefixed, 1024, reader).ShouldBeTrue();
        MessageFraming.TryRead(ref buffer, FrameFormat.LengthPrefixed, 1024, reader).ShouldBeFalse();

        reader.GetRoot().ReadText(0).ShouldBe("first");
        buffer.Length.ShouldBe(Frame(second).Length - 1);
    }

    [Theory]
    [InlineData(0u, "zero-length")]
    [InlineData(4096u, "limit")]
    public void A_bad_length_prefix_is_a_format_error(uint length, string expected)
    {
        byte[] bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, length);
        var buffer = new ReadOnlySequence<byte>(bytes);
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => MessageFraming.TryRead(ref buffer, FrameFormat.LengthPrefixed, 1024, reader))
            .Message.ShouldContain(expected);
    }

    [Fact]
    public void A_frame_with_bytes_after_its_message_is_a_format_error()
    {
        using var message = Message(1, "");
        byte[] framed = Frame(message);
        byte[] padded = new byte[framed.Length + 8];
        framed.CopyTo(padded, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(padded, (uint)(framed.Length - 4 + 8));
        var buffer = new ReadOnlySequence<byte>(padded);
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => MessageFraming.TryRead(ref buffer, FrameFormat.LengthPrefixed, 1024, reader));
    }

    [Fact]
    public void A_standard_message_over_the_limit_is_a_format_error()
    {
        using var message = Message(1, new string('z', 500));
        var output = new ArrayBufferWriter<byte>();
        MessageFraming.Write(message, MessageSerializer.GetSerializedSize(message), FrameFormat.Standard, output);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => MessageFraming.TryRead(ref buffer, FrameFormat.Standard, 256, reader))
            .Message.ShouldContain("limit");
    }
}
