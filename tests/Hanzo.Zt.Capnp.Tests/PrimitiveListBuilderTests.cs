namespace Hanzo.Zt.Capnp.Tests;

/// <summary><see cref="PrimitiveListBuilder{T}.Create"/> writes every element at its wire size, little-endian.</summary>
public sealed class PrimitiveListBuilderTests
{
    [Fact]
    public void Lists_created_from_spans_read_back_element_for_element_at_every_size()
    {
        using var message = new MessageBuilder();
        var root = message.InitRoot(0, 6);
        PrimitiveListBuilder<byte>.Create(root.GetPointer(0), [1, 255, 7]);
        PrimitiveListBuilder<short>.Create(root.GetPointer(1), [-2, short.MaxValue]);
        PrimitiveListBuilder<uint>.Create(root.GetPointer(2), [0xdeadbeef, 3]);
        PrimitiveListBuilder<double>.Create(root.GetPointer(3), [1.5, -0.25, double.MaxValue]);
        PrimitiveListBuilder<long>.Create(root.GetPointer(4), []);
        PrimitiveListBuilder<bool>.Create(root.GetPointer(5), [true, false, true, true, false, false, false, false, true]);

        using var reader = MessageSerializer.Read(MessageSerializer.ToArray(message));
        var read = reader.GetRoot();
        new PrimitiveList<byte>(read.ReadList(0, ListElementSize.Byte)).ToArray().ShouldBe(new byte[] { 1, 255, 7 });
        new PrimitiveList<short>(read.ReadList(1, ListElementSize.TwoBytes)).ToArray().ShouldBe(new short[] { -2, short.MaxValue });
        var words = read.ReadList(2, ListElementSize.FourBytes);
        (words.GetUInt32(0), words.GetUInt32(1)).ShouldBe((0xdeadbeefu, 3u));
        new PrimitiveList<double>(read.ReadList(3, ListElementSize.EightBytes)).ToArray().ShouldBe(new[] { 1.5, -0.25, double.MaxValue });
        read.ReadList(4, ListElementSize.EightBytes).Count.ShouldBe(0);
        new PrimitiveList<bool>(read.ReadList(5, ListElementSize.Bit)).ToArray().ShouldBe(new[] { true, false, true, true, false, false, false, false, true });
    }
}
