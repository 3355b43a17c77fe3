namespace Hanzo.Zt.Capnp.Tests;

/// <summary><see cref="PointerBuilder.GetStruct"/> and <see cref="PointerBuilder.GetList"/> reach what was set, also through far pointers.</summary>
public sealed class PointerBuilderAccessTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(1)]
    public void A_struct_set_earlier_is_changed_in_place(int firstSegmentWords)
    {
        using var message = new MessageBuilder(new MessageBuilderOptions { FirstSegmentWords = firstSegmentWords, FixedSegmentSize = true });
        var root = message.InitRoot(1, 1);
        root.GetPointer(0).IsNull.ShouldBeTrue();
        root.InitStruct(0, 1, 0).WriteInt32(0, 5);

        root.GetPointer(0).IsNull.ShouldBeFalse();
        root.GetPointer(0).GetStruct().WriteInt32(1, 6);

        var read = message.AsReader().GetRoot().ReadStruct(0);
        (read.ReadInt32(0), read.ReadInt32(1)).ShouldBe((5, 6));
        (firstSegmentWords == 1 ? message.SegmentCount > 1 : message.SegmentCount == 1).ShouldBeTrue();
    }

    [Fact]
    public void Lists_set_earlier_are_changed_in_place_whatever_their_element_size()
    {
        using var message = new MessageBuilder(new MessageBuilderOptions { FirstSegmentWords = 2, FixedSegmentSize = true });
        var root = message.InitRoot(0, 3);
        root.InitList(0, ListElementSize.FourBytes, 3);
        root.InitStructList(1, 2, 1, 0);
        root.InitList(2, ListElementSize.Bit, 10);

        var ints = root.GetPointer(0).GetList();
        ints.SetInt32(2, -7);
        var structs = root.GetPointer(1).GetList();
        structs.Count.ShouldBe(2);
        structs.GetStruct(1).WriteInt64(0, 9);
        root.GetPointer(2).GetList().SetBool(9, true);

        var read = message.AsReader().GetRoot();
        read.ReadList(0, ListElementSize.FourBytes).GetInt32(2).ShouldBe(-7);
        read.GetPointer(1).GetList().GetStruct(1).ReadInt64(0).ShouldBe(9);
        read.ReadList(2, ListElementSize.Bit).GetBool(9).ShouldBeTrue();
    }

    [Fact]
    public void Asking_a_list_pointer_for_a_struct_is_a_format_error()
    {
        using var message = new MessageBuilder();
        var root = message.InitRoot(0, 1);
        root.InitList(0, ListElementSize.Byte, 1);

        Should.Throw<CapnpFormatException>(() => root.GetPointer(0).GetStruct());
    }
}
