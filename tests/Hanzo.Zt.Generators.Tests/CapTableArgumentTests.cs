namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// Which generated call sites hand the engine's cap table (the call context, request or response) to a reader or
/// builder: only those of structs that may hold a capability, since the table is boxed on every call. Every struct
/// of the schema below is a method's parameters and results, so it appears at all four call sites.
/// </summary>
public sealed class CapTableArgumentTests
{
    private const string Schema = """
        @0xc4d1e2f3a4b5c6d7;
        interface Adder { add @0 (a :Int32, b :Int32) -> (sum :Int32); }
        struct Spot { x @0 :Int32; label @1 :Text; }
        struct Chain {
          value @0 :Int32;
          next @1 :Chain;
          spots @2 :List(Spot);
          children @3 :List(List(Chain));
          union { none @4 :Void; label @5 :Text; }
          info :group { note @6 :Text; spot @7 :Spot; }
        }
        struct WithInterface { adder @0 :Adder; }
        struct WithAnyPointer { payload @0 :AnyPointer; }
        struct WithInterfaceList { adders @0 :List(Adder); }
        struct WithNested { name @0 :Text; inner @1 :WithInterface; }
        struct WithNestedList { inners @0 :List(List(WithInterface)); }
        struct WithGroup { g :group { adder @0 :Adder; } }
        struct WithUnion { union { none @0 :Void; adder @1 :Adder; } }
        struct Loop { other @0 :Other; }
        struct Other { back @0 :Loop; adder @1 :Adder; }
        struct Box(T) { value @0 :T; }
        struct WithBox { box @0 :Box(Spot); }
        interface Take {
          spot @0 Spot -> Spot;
          chain @1 Chain -> Chain;
          withInterface @2 WithInterface -> WithInterface;
          withAnyPointer @3 WithAnyPointer -> WithAnyPointer;
          withInterfaceList @4 WithInterfaceList -> WithInterfaceList;
          withNested @5 WithNested -> WithNested;
          withNestedList @6 WithNestedList -> WithNestedList;
          withGroup @7 WithGroup -> WithGroup;
          withUnion @8 WithUnion -> WithUnion;
          loop @9 Loop -> Loop;
          withBox @10 WithBox -> WithBox;
          flat @11 (spot :Spot, n :Int32) -> (n :Int32);
          flatWithCap @12 (inner :WithNested, n :Int32) -> (n :Int32);
          awaitResults @13 (n :Int32) -> (n :Int32);
          # Named as generated dispatch names its local function: the two must not clash.
        }
        """;

    private static readonly Lazy<string> Generated = new(() =>
    {
        var (output, diagnostics) = TestCompilation.Run([], ("/project/take.capnp", Schema));
        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        return string.Concat(output.SyntaxTrees.Select(t => t.GetText().ToString()));
    });

    private static string Scope(string name) => $"global::Generated.{name}";

    [Theory]
    [InlineData("Spot", false)]
    [InlineData("Chain", false)]
    [InlineData("WithInterface", true)]
    [InlineData("WithAnyPointer", true)]
    [InlineData("WithInterfaceList", true)]
    [InlineData("WithNested", true)]
    [InlineData("WithNestedList", true)]
    [InlineData("WithGroup", true)]
    [InlineData("WithUnion", true)]
    [InlineData("Loop", true)]
    [InlineData("WithBox", true)]
    public void Only_structs_that_may_hold_capabilities_get_the_cap_table_at_every_call_site(string name, bool expected)
    {
        string s = Scope(name);
        string serverParams = $"new {s}.Reader(context.Params";
        string serverResults = $"new {s}.Builder(context.InitResults({s}.DataWords, {s}.PointerCount)";
        string clientParams = $"new {s}.Builder(request.InitParams({s}.DataWords, {s}.PointerCount)";
        string clientResults = $"new {s}.Reader(response.Results";

        Generated.Value.ShouldContain(serverParams + (expected ? ", context)" : ")"));
        Generated.Value.ShouldContain(serverResults + (expected ? ", context)" : ")"));
        Generated.Value.ShouldContain(clientParams + (expected ? ", request)" : ")"));
        Generated.Value.ShouldContain(clientResults + (expected ? ", response)" : ")"));
        Generated.Value.ShouldNotContain(serverParams + (expected ? ")" : ", context)"));
        Generated.Value.ShouldNotContain(clientParams + (expected ? ")" : ", request)"));
    }

    [Theory]
    [InlineData("Flat", false)]
    [InlineData("FlatWithCap", true)]
    public void Implicit_parameter_structs_get_the_cap_table_only_when_a_field_may_hold_a_capability(string method, bool expected)
    {
        string s = Scope($"Take.{method}Params");

        Generated.Value.ShouldContain($"new {s}.Reader(context.Params{(expected ? ", context" : string.Empty)});");
        Generated.Value.ShouldContain($"new {s}.Builder(request.InitParams({s}.DataWords, {s}.PointerCount){(expected ? ", request" : string.Empty)})");
        Generated.Value.ShouldContain($"new {Scope($"Take.{method}Results")}.Builder(context.InitResults({Scope($"Take.{method}Results")}.DataWords, {Scope($"Take.{method}Results")}.PointerCount));");
    }
}
