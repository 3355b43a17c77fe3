using System.Text;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Generated readers and builders checked against the reference <c>capnp encode</c>/<c>decode</c>.</summary>
public sealed class GeneratedStructTests
{
    private static byte[] BuildSample()
    {
        using var message = new MessageBuilder();
        var e = Everything.InitRoot(message);
        e.SetFlag(false);
        e.SetSmall(100);
        e.SetCount(65535);
        e.SetBig(-1);
        e.SetRatio(0.25f);
        e.SetPrecise(Math.PI);
        e.SetName("zero-copy");
        e.SetBlob([1, 2, 3]);
        e.SetColor(Color.Blue);
        var origin = e.InitOrigin();
        origin.SetX(1.5);
        origin.SetY(-2);
        e.SetNumbers([3, -4, 5]);
        e.SetWords(["a", "bc"]);
        var path = e.InitPath(2);
        path[0].SetX(1);
        path[1].SetY(2);
        e.Shape.SetSquare(2.5);
        e.Meta.SetAuthor("me");
        e.Meta.SetVersion(9);
        e.SetFlags([true, false, true]);
        e.SetColors([Color.Red, Color.Blue]);
        return MessageSerializer.ToArray(message);
    }

    [Fact]
    public async Task A_generated_builder_writes_what_the_reference_decoder_reads()
    {
        string text = Encoding.UTF8.GetString(await ReferenceTool.RunAsync(BuildSample(), "decode", "--short", "everything.capnp", "Everything"));

        text.ShouldContain("flag = false");
        text.ShouldContain("small = 100");
        text.ShouldContain("count = 65535");
        text.ShouldContain("big = -1");
        text.ShouldContain("ratio = 0.25");
        text.ShouldContain("name = \"zero-copy\"");
        text.ShouldContain("blob = \"\\001\\002\\003\"");
        text.ShouldContain("color = blue");
        text.ShouldContain("origin = (x = 1.5, y = -2)");
        text.ShouldContain("numbers = [3, -4, 5]");
        text.ShouldContain("words = [\"a\", \"bc\"]");
        text.ShouldContain("path = [(x = 1, y = 0), (x = 0, y = 2)]");
        text.ShouldContain("shape = (square = 2.5)");
        text.ShouldContain("meta = (author = \"me\", version = 9)");
        text.ShouldContain("flags = [true, false, true]");
        text.ShouldContain("colors = [red, blue]");
    }

    [Fact]
    public async Task A_generated_reader_reads_what_the_reference_encoder_wrote()
    {
        const string text = "(flag = false, small = 7, big = 99, name = \"enc\", color = red, origin = (x = 3, y = 4), "
            + "numbers = [10, 20], words = [\"x\"], path = [(x = 5, y = 6)], shape = (circle = 1.25), meta = (author = \"ref\"), colors = [green])";
        byte[] bytes = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes(text), "encode", "everything.capnp", "Everything");

        using var message = MessageSerializer.Read(bytes);
        var e = Everything.ReadRoot(message);

        e.Flag.ShouldBeFalse();
        e.Small.ShouldBe((sbyte)7);
        e.Big.ShouldBe(99);
        e.Name.ShouldBe("enc");
        e.Color.ShouldBe(Color.Red);
        e.Origin.X.ShouldBe(3);
        e.Origin.Y.ShouldBe(4);
        e.Numbers.ToArray().ShouldBe([10, 20]);
        e.Words.ToArray().ShouldBe(["x"]);
        e.Path.Count.ShouldBe(1);
        e.Path[0].Y.ShouldBe(6);
        e.Shape.Which.ShouldBe(Everything.Shape.Which.Circle);
        e.Shape.Circle.ShouldBe(1.25);
        e.Meta.Author.ShouldBe("ref");
        e.Meta.Version.ShouldBe(7u);
        e.Colors.ToArray().ShouldBe([Color.Green]);
    }

    [Fact]
    public async Task Absent_fields_read_as_their_schema_defaults_as_the_reference_sees_them()
    {
        byte[] bytes = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes("()"), "encode", "everything.capnp", "Everything");

        using var message = MessageSerializer.Read(bytes);
        var e = Everything.ReadRoot(message);

        e.Flag.ShouldBeTrue();
        e.Small.ShouldBe((sbyte)-5);
        e.Big.ShouldBe(1234567890123);
        e.Ratio.ShouldBe(1.5f);
        e.Name.ShouldBe("anonymous");
        e.Color.ShouldBe(Color.Green);
        e.Meta.Version.ShouldBe(7u);
        e.HasOrigin.ShouldBeFalse();
    }

    [Fact]
    public void Defaults_written_by_a_builder_are_stored_as_zero()
    {
        using var message = new MessageBuilder();
        var e = Everything.InitRoot(message);
        e.SetFlag(true);
        e.SetSmall(-5);
        e.SetBig(1234567890123);

        e.Struct.DataSection.ToArray().ShouldAllBe(b => b == 0);
    }

    [Fact]
    public void Constants_and_metadata_keep_the_schema_names_and_ids()
    {
        EverythingCapnp.Answer.ShouldBe(42);
        EverythingCapnp.Greeting.ShouldBe("hello");
        EverythingCapnp.Favorite.ShouldBe(Color.Blue);
        Everything.Limit.ShouldBe(ulong.MaxValue);
        EverythingCapnp.FileId.ShouldBe(0xd6d4e1a3b2c5f701UL);
        var attribute = typeof(Everything).GetCustomAttributes(typeof(CapnpTypeAttribute), false).Cast<CapnpTypeAttribute>().Single();
        attribute.DisplayName.ShouldBe("Schemas/everything.capnp:Everything");
    }
}
