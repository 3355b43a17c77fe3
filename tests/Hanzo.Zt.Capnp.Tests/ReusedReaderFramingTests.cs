using System.Buffers;
using static Hanzo.Zt.Capnp.Tests.FramingSamples;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>
/// Framed messages loaded one after another into one reusable <see cref="MessageReader"/>, copied into pooled memory
/// (<c>TryRead</c>) or viewed in place (<c>TryReadInPlace</c>): each case runs against both.
/// </summary>
public sealed class ReusedReaderFramingTests
{
    private static bool Read(bool inPlace, ref ReadOnlySequence<byte> buffer, FrameFormat format, int maxMessageBytes, MessageReader reader) =>
        inPlace
            ? MessageFraming.TryReadInPlace(ref buffer, format, maxMessageBytes, reader)
            : MessageFraming.TryRead(ref buffer, format, maxMessageBytes, reader);

    [Theory]
    [InlineData(FrameFormat.LengthPrefixed, false)]
    [InlineData(FrameFormat.Standard, false)]
    [InlineData(FrameFormat.LengthPrefixed, true)]
    [InlineData(FrameFormat.Standard, true)]
    public void One_reader_reads_each_message_of_a_stream_in_turn(FrameFormat format, bool inPlace)
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
        while (Read(inPlace, ref buffer, format, 1 << 20, reader))
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_partial_frame_needs_more_bytes_and_keeps_the_message_already_loaded(bool inPlace)
    {
        using var first = Message(1, "first");
        using var second = Message(2, "second");
        byte[] bytes = [.. Frame(first), .. Frame(second)];
        var buffer = new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1);
        using var reader = new MessageReader(ReaderOptions.Default);

        Read(inPlace, ref buffer, FrameFormat.LengthPrefixed, 1024, reader).ShouldBeTrue();
        Read(inPlace, ref buffer, FrameFormat.LengthPrefixed, 1024, reader).ShouldBeFalse();

        reader.GetRoot().ReadText(0).ShouldBe("first");
        buffer.Length.ShouldBe(Frame(second).Length - 1);
    }

    [Theory]
    [InlineData(0u, "zero-length", false)]
    [InlineData(4096u, "limit", false)]
    [InlineData(0u, "zero-length", true)]
    [InlineData(4096u, "limit", true)]
    public void A_bad_length_prefix_is_a_format_error(uint length, string expected, bool inPlace)
    {
        byte[] bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, length);
        var buffer = new ReadOnlySequence<byte>(bytes);
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => Read(inPlace, ref buffer, FrameFormat.LengthPrefixed, 1024, reader))
            .Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_frame_with_bytes_after_its_message_is_a_format_error(bool inPlace)
    {
        using var message = Message(1, "");
        byte[] framed = Frame(message);
        byte[] padded = new byte[framed.Length + 8];
        framed.CopyTo(padded, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(padded, (uint)(framed.Length - 4 + 8));
        var buffer = new ReadOnlySequence<byte>(padded);
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => Read(inPlace, ref buffer, FrameFormat.LengthPrefixed, 1024, reader));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void A_standard_message_over_the_limit_is_a_format_error_as_soon_as_its_segment_table_is_in(bool inPlace, bool onlyTheTable)
    {
        using var message = Message(1, new string('z', 500));
        var output = new ArrayBufferWriter<byte>();
        MessageFraming.Write(message, MessageSerializer.GetSerializedSize(message), FrameFormat.Standard, output);
        var buffer = new ReadOnlySequence<byte>(onlyTheTable ? output.WrittenMemory[..8] : output.WrittenMemory);
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => Read(inPlace, ref buffer, FrameFormat.Standard, 256, reader))
            .Message.ShouldContain("limit");
    }

    [Fact]
    public void A_frame_in_one_segment_is_read_in_place_without_a_copy()
    {
        using var message = Message(5, "in place");
        byte[] framed = Frame(message);
        var buffer = new ReadOnlySequence<byte>(framed);
        using var reader = new MessageReader(ReaderOptions.Default);

        MessageFraming.TryReadInPlace(ref buffer, FrameFormat.LengthPrefixed, 1024, reader).ShouldBeTrue();

        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(reader.GetSegment(0), out var segment).ShouldBeTrue();
        segment.Array.ShouldBeSameAs(framed);
        reader.GetRoot().ReadText(0).ShouldBe("in place");
    }

    [Theory]
    [InlineData(FrameFormat.LengthPrefixed)]
    [InlineData(FrameFormat.Standard)]
    public void A_frame_split_across_segments_is_copied_and_read_whole(FrameFormat format)
    {
        using var first = Message(1, "before the split");
        using var second = Message(2, new string('s', 300));
        var output = new ArrayBufferWriter<byte>();
        MessageFraming.Write(first, MessageSerializer.GetSerializedSize(first), format, output);
        int split = output.WrittenCount + 20;
        MessageFraming.Write(second, MessageSerializer.GetSerializedSize(second), format, output);
        var buffer = TwoSegments(output.WrittenMemory.ToArray(), split);
        using var reader = new MessageReader(ReaderOptions.Default);

        MessageFraming.TryReadInPlace(ref buffer, format, 1024, reader).ShouldBeTrue();
        reader.GetRoot().ReadInt32(0).ShouldBe(1);
        MessageFraming.TryReadInPlace(ref buffer, format, 1024, reader).ShouldBeTrue();

        reader.GetRoot().ReadText(0).ShouldBe(new string('s', 300));
        buffer.IsEmpty.ShouldBeTrue();
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int split)
    {
        var head = new Segment(bytes.AsMemory(0, split), 0);
        var tail = new Segment(bytes.AsMemory(split), split);
        head.SetNext(tail);
        return new ReadOnlySequence<byte>(head, 0, tail, tail.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
