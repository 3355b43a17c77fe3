using System.Text;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Struct and list defaults and constants (Schemas/defaults.capnp), checked against <c>capnp encode</c>, <c>decode</c> and <c>eval</c>.</summary>
public sealed class DefaultsAndConstantsTests
{
    [Fact]
    public async Task Unset_struct_and_list_fields_read_as_their_schema_defaults()
    {
        byte[] bytes = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes("()"), "encode", "defaults.capnp", "Defaults");

        using var message = MessageSerializer.Read(bytes);
        var d = Defaults.ReadRoot(message);

        d.HasOrigin.ShouldBeFalse();
        (d.Origin.X, d.Origin.Y).ShouldBe((3, 4));
        d.Path.Select(p => (p.X, p.Y)).ShouldBe([(1, 7), (2, 9)]);
        d.Numbers.ToArray().ShouldBe([5, -6, 7]);
        d.Words.ToArray().ShouldBe(["a", "bc"]);
        d.Flags.ToArray().ShouldBe([true, false, true]);
        d.Tones.ToArray().ShouldBe([Tone.High, Tone.Low]);
        d.Nested.Count.ShouldBe(3);
        d.Nested.GetPointer(0).GetList().GetInt16(1).ShouldBe((short)2);
        d.Nested.GetPointer(1).GetList().Count.ShouldBe(0);
        d.Floats.ToArray().ShouldBe([1.5, -0.25]);
        d.Inner.Label.ShouldBe("in");
        (d.Inner.Point.X, d.Inner.Point.Y).ShouldBe((10, 7));
        d.Inner.Choice.Which.ShouldBe(Detail.Choice.Which.B);
        d.Inner.Choice.B.ShouldBe("bee");
        d.Inner.Tags.ToArray().ShouldBe(["t"]);
        d.Inner.Extra.Level.ShouldBe((byte)9);
        (d.Plain.X, d.Plain.Y).ShouldBe((0, 7));
    }

    [Fact]
    public async Task Set_fields_read_as_set_not_as_their_defaults()
    {
        byte[] bytes = await ReferenceTool.RunAsync(
            Encoding.UTF8.GetBytes("(origin = (x = -3), numbers = [], path = [(y = 1)], inner = (label = \"x\"))"), "encode", "defaults.capnp", "Defaults");

        using var message = MessageSerializer.Read(bytes);
        var d = Defaults.ReadRoot(message);

        (d.Origin.X, d.Origin.Y).ShouldBe((-3, 7));
        d.Numbers.Count.ShouldBe(0);
        d.Path.Select(p => (p.X, p.Y)).ShouldBe([(0, 1)]);
        d.Inner.Label.ShouldBe("x");
        d.Inner.HasPoint.ShouldBeFalse();
        d.Inner.Extra.Level.ShouldBe((byte)3);
    }

    [Fact]
    public async Task Builder_getters_copy_the_default_in_before_changing_it_as_the_reference_builders_do()
    {
        using var builder = new MessageBuilder();
        var d = Defaults.InitRoot(builder);
        d.GetOrigin().SetY(40);
        d.GetNumbers()[0] = 50;
        d.GetPath()[1].SetX(20);
        d.GetInner().Extra.SetLevel(1);
        d.GetPlain().SetX(5);
        d.InitFloats(1)[0] = 2;

        string text = Encoding.UTF8.GetString(
            await ReferenceTool.RunAsync(MessageSerializer.ToArray(builder), "decode", "--short", "defaults.capnp", "Defaults"));

        text.ShouldContain("origin = (x = 3, y = 40)");
        text.ShouldContain("numbers = [50, -6, 7]");
        text.ShouldContain("path = [(x = 1, y = 7), (x = 20, y = 9)]");
        text.ShouldContain("inner = (label = \"in\", point = (x = 10, y = 7), choice = (b = \"bee\"), tags = [\"t\"], extra = (level = 1))");
        text.ShouldContain("plain = (x = 5, y = 7)");
        text.ShouldContain("floats = [2]");
    }

    [Fact]
    public async Task Struct_and_list_constants_hold_what_the_reference_evaluates()
    {
        (await EvalAsync("origin")).ShouldBe($"(x = {DefaultsCapnp.Origin.X}, y = {DefaultsCapnp.Origin.Y})");
        (await EvalAsync("primes")).ShouldBe("[" + string.Join(", ", DefaultsCapnp.Primes.ToArray()) + "]");
        (await EvalAsync("names")).ShouldBe("[" + string.Join(", ", DefaultsCapnp.Names.Select(n => $"\"{n}\"")) + "]");
        (await EvalAsync("Defaults.limit")).ShouldBe($"(x = {Defaults.Limit.X}, y = {Defaults.Limit.Y})");
        var shapes = DefaultsCapnp.Shapes;
        (await EvalAsync("shapes")).ShouldBe("[" + string.Join(", ", shapes.Select(s =>
            $"(label = \"{s.Label}\", choice = (a = {s.Choice.A}), extra = (level = {s.Extra.Level}))")) + "]");
        shapes[1].Choice.A.ShouldBe(5);
        DefaultsCapnp.Primes.ToArray().ShouldBe([2u, 3u, 5u, 7u]);
    }

    [Fact]
    public void A_constant_with_nothing_to_generate_is_reported_not_dropped()
    {
        const string schema = "@0xd1f0c3b2a4e5f609;\nconst nothing :Void = void;\nconst one :Int32 = 1;\n";

        var (output, diagnostics) = TestCompilation.Run([], ("/project/void.capnp", schema));

        var warning = diagnostics.ShouldHaveSingleItem();
        warning.Id.ShouldBe("ZT0009");
        warning.Severity.ShouldBe(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        warning.GetMessage().ShouldContain("'nothing'");
        warning.Location.GetLineSpan().StartLinePosition.Line.ShouldBe(1);
        output.GetTypeByMetadataName("Generated.VoidCapnp")!.GetMembers("One").ShouldNotBeEmpty();
    }

    private static async Task<string> EvalAsync(string name) =>
        Encoding.UTF8.GetString(await ReferenceTool.RunAsync([], "eval", "--short", "defaults.capnp", name)).Trim();
}
