using System.Text;
using Hanzo.Zt.Generators.Tests.Services;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Code-first value tuples (as results structs with the elements' names) and enums, over tcp:// and through the reference compiler.</summary>
public sealed class TupleAndEnumServiceTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private sealed class Inventory : IInventory
    {
        public Task<(int Count, string Name)> CountAsync(string sku, CancellationToken cancellationToken) =>
            Task.FromResult((sku.Length, "item " + sku));

        public ValueTask<(long Total, Shade Mixed, List<Shade> Palette)> MixAsync(Shade first, Shade[] others) =>
            ValueTask.FromResult(((long)others.Length + 1, others.Length > 0 ? others[^1] : first, others.Prepend(first).ToList()));

        public Task<(int, bool)> UnnamedAsync(int value) => Task.FromResult((value * 2, value > 0));

        public Task<Swatch> SwatchAsync(Shade shade) => Task.FromResult(new Swatch(shade, shade.ToString()));

        public Task<(int? Found, Shade? Preferred)> FindAsync(string sku, Shade? preferred, double? weight) =>
            Task.FromResult<(int?, Shade?)>((weight is { } w ? (int)w : null, preferred));

        public Task<List<long?>> ScaleAsync(int?[] readings, int factor) =>
            Task.FromResult(readings.Select(r => r is { } value ? (long?)value * factor : null).ToList());
    }

    private static async Task<T> RunAsync<T>(Func<IInventory, Task<T>> call)
    {
        using var bootstrap = ZapCapability.FromServer(new InventoryServer(new Inventory()));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        using var client = new InventoryClient(connection.Bootstrap());
        return await call(client).WaitAsync(HangGuard);
    }

    [Fact]
    public async Task A_value_tuple_result_crosses_the_wire_with_its_element_names()
    {
        var (count, name) = await RunAsync(i => i.CountAsync("abcd", CancellationToken.None));

        (count, name).ShouldBe((4, "item abcd"));
        InventorySchema.CapnpText.ShouldContain("count @0 (sku :Text) -> (count :Int32, name :Text);");
    }

    [Fact]
    public async Task Enums_and_lists_of_enums_cross_the_wire_as_capnp_enums()
    {
        var mixed = await RunAsync(i => i.MixAsync(Shade.Red, [Shade.Green, Shade.Blue]).AsTask());

        mixed.Total.ShouldBe(3);
        mixed.Mixed.ShouldBe(Shade.Blue);
        mixed.Palette.ShouldBe([Shade.Red, Shade.Green, Shade.Blue]);
        (await RunAsync(i => i.SwatchAsync(Shade.Green))).ShouldBe(new Swatch(Shade.Green, "Green"));
        (await RunAsync(i => i.UnnamedAsync(-3))).ShouldBe((-6, false));
        InventorySchema.CapnpText.ShouldContain("enum Shade {\n  red @0;\n  green @1;\n  blue @2;\n}");
        InventorySchema.CapnpText.ShouldContain("unnamed @2 (value :Int32) -> (item1 :Int32, item2 :Bool);");
    }

    [Fact]
    public async Task Nullable_value_types_cross_the_wire_null_or_set()
    {
        (await RunAsync(i => i.FindAsync("a", Shade.Blue, 2.5))).ShouldBe((2, Shade.Blue));
        (await RunAsync(i => i.FindAsync("a", null, null))).ShouldBe((null, null));
        (await RunAsync(i => i.FindAsync("a", Shade.Red, 0))).ShouldBe((0, Shade.Red));
        InventorySchema.CapnpText.ShouldContain("find @4 (sku :Text, preferred :OptionalShade, weight :OptionalFloat64) -> (found :OptionalInt32, preferred :OptionalShade);");
        InventorySchema.CapnpText.ShouldContain("struct OptionalInt32 {\n  value @0 :Int32;\n}");
    }

    [Fact]
    public async Task Lists_of_nullable_value_types_keep_their_nulls_across_the_wire()
    {
        (await RunAsync(i => i.ScaleAsync([1, null, -3, null], 10))).ShouldBe([10L, null, -30L, null]);
        (await RunAsync(i => i.ScaleAsync([], 10))).ShouldBeEmpty();
        InventorySchema.CapnpText.ShouldContain("scale @5 (readings :List(MaybeInt32), factor :Int32) -> (result :List(MaybeInt64));");
        InventorySchema.CapnpText.ShouldContain("struct MaybeInt32 {\n  union {\n    none @0 :Void;\n    value @1 :Int32;\n  }\n}");
    }

    [Fact]
    public async Task The_reference_compiler_accepts_the_exported_capnp_with_tuple_fields_and_enums()
    {
        string dir = Directory.CreateTempSubdirectory("zt-capnp-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "Inventory.capnp"), InventorySchema.CapnpText);
            byte[] request = await ReferenceTool.RunInAsync(dir, [], "compile", "-o-", "Inventory.capnp");
            string decoded = Encoding.UTF8.GetString(await ReferenceTool.RunInAsync(dir, request, "decode", "--short", "/usr/include/capnp/schema.capnp", "CodeGeneratorRequest"));

            decoded.ShouldContain("displayName = \"Inventory.capnp:Inventory.mix$Results\"");
            decoded.ShouldContain("(name = \"total\", codeOrder = 0");
            decoded.ShouldContain("(name = \"mixed\", codeOrder = 1");
            decoded.ShouldContain("(name = \"palette\", codeOrder = 2");
            decoded.ShouldContain("displayName = \"Inventory.capnp:Shade\"");
            decoded.ShouldContain("enumerants = [(name = \"red\", codeOrder = 0");
            decoded.ShouldContain("displayName = \"Inventory.capnp:OptionalShade\"");
            decoded.ShouldContain("displayName = \"Inventory.capnp:MaybeInt64\"");
            decoded.ShouldContain("discriminantCount = 2");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_enum_whose_values_are_not_0_1_2_is_ZT0002()
    {
        const string source = """
            namespace User;
            public enum Flags { A = 1, B = 4 }
            [Hanzo.Zt.ZtService]
            public interface IFlagged { System.Threading.Tasks.Task<Flags> GetAsync(); }
            """;

        var (_, diagnostics) = TestCompilation.Run([source]);

        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe("ZT0002");
        error.GetMessage().ShouldContain("not 0, 1, 2");
    }
}
