using System.Text;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Generic structs used with arguments (Schemas/generics.capnp) read and build typed, checked against the reference.</summary>
public sealed class GenericsTests
{
    [Fact]
    public async Task Typed_generic_builders_write_what_the_reference_decoder_reads()
    {
        using var message = new MessageBuilder();
        var h = Holder.InitRoot(message);
        var coord = h.InitCoord();
        coord.InitValue().SetX(3);
        coord.SetLabel("c");
        h.InitText().SetValue("hi");
        h.InitList().SetValue([1, 2, 3]);
        var pair = h.InitPair();
        pair.InitFirst().SetY(4);
        pair.SetSecond("two");
        pair.Both.InitAgain().SetX(5);
        var nested = h.InitNested();
        nested.InitItem().SetY(6);
        nested.InitItems(2)[1].InitValue().SetX(7);
        var outer = h.InitOuter();
        outer.InitBoxed().SetValue("deep");
        outer.InitInner().SetItem("in");
        var boxes = h.InitBoxes(2);
        boxes[0].InitValue().SetX(8);
        boxes[1].SetLabel("second");
        h.InitData().SetValue([9, 10]);

        string text = Encoding.UTF8.GetString(
            await ReferenceTool.RunAsync(MessageSerializer.ToArray(message), "decode", "--short", "generics.capnp", "Holder"));

        text.ShouldContain("coord = (value = (x = 3, y = 0), label = \"c\")");
        text.ShouldContain("text = (value = \"hi\")");
        text.ShouldContain("list = (value = [1, 2, 3])");
        text.ShouldContain("pair = (first = (x = 0, y = 4), second = \"two\", both = (again = (x = 5, y = 0)))");
        text.ShouldContain("nested = (item = (x = 0, y = 6), items = [(), (value = (x = 7, y = 0))])");
        text.ShouldContain("outer = (inner = (item = \"in\"), boxed = (value = \"deep\"))");
        text.ShouldContain("boxes = [(value = (x = 8, y = 0)), (label = \"second\")]");
        text.ShouldContain("data = (value = \"\\t\\n\")");
    }

    [Fact]
    public async Task Typed_generic_readers_read_what_the_reference_encoder_wrote()
    {
        const string input = "(coord = (value = (x = 1, y = 2)), text = (value = \"t\"), list = (value = [4, 5]), "
            + "pair = (first = (x = 6), second = \"s\", both = (again = (y = 7))), nested = (item = (x = 8), items = [(value = (y = 9))]), "
            + "outer = (inner = (item = \"i\"), boxed = (value = \"b\")), boxes = [(value = (x = 10))], data = (value = 0x\"0b0c\"))";
        byte[] bytes = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes(input), "encode", "generics.capnp", "Holder");

        using var message = MessageSerializer.Read(bytes);
        var h = Holder.ReadRoot(message);

        (h.Coord.Value.X, h.Coord.Value.Y).ShouldBe((1, 2));
        h.Text.Value.ShouldBe("t");
        h.List.Value.ToArray().ShouldBe([4, 5]);
        h.Pair.First.X.ShouldBe(6);
        h.Pair.Second.ShouldBe("s");
        h.Pair.Both.Again.Y.ShouldBe(7);
        h.Nested.Item.X.ShouldBe(8);
        h.Nested.Items[0].Value.Y.ShouldBe(9);
        h.Outer.Inner.Item.ShouldBe("i");
        h.Outer.Boxed.Value.ShouldBe("b");
        h.Boxes[0].Value.X.ShouldBe(10);
        h.Data.Value.ToArray().ShouldBe([11, 12]);
    }

    [Fact]
    public void A_generic_bound_to_an_interface_reads_as_its_client_and_converts_to_the_untyped_reader()
    {
        typeof(GenericsCapnp.BoxOfNotifier.Reader).GetProperty("Value")!.PropertyType.ShouldBe(typeof(NotifierClient));
        typeof(Box.Reader).GetProperty("Value")!.PropertyType.ShouldBe(typeof(PointerReader));

        using var message = new MessageBuilder();
        Holder.InitRoot(message).InitCoord().InitValue().SetX(12);
        Box.Reader untyped = Holder.ReadRoot(message.AsReader()).Coord;
        untyped.Value.GetStruct().ReadInt32(0).ShouldBe(12);
    }
}
