using System.Text;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// Brands bound across nested scopes (Schemas/generics.capnp): <c>Tree(Coord).Branch(Text).Leaf</c> types both
/// enclosing scopes' parameters, and <c>Catalog(Coord).Source</c> (an interface nested in a generic struct) types its
/// results with the struct's argument; checked against the reference and over ZAP.
/// </summary>
public sealed class NestedBrandTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_struct_nested_in_two_generic_scopes_builds_what_the_reference_reads()
    {
        using var message = new MessageBuilder();
        var h = Holder.InitRoot(message);
        var leaf = h.InitLeaf();
        leaf.InitT().SetX(1);
        leaf.SetU("u");
        var pairs = leaf.InitPairs(1);
        pairs[0].InitFirst().SetY(2);
        pairs[0].SetSecond("second");
        var branch = h.InitBranch();
        var inner = branch.InitLeaf();
        inner.SetT("t");
        inner.InitU().SetX(3);
        branch.InitBoxed().InitValue().SetY(4);

        string text = Encoding.UTF8.GetString(
            await ReferenceTool.RunAsync(MessageSerializer.ToArray(message), "decode", "--short", "generics.capnp", "Holder"));

        text.ShouldContain("leaf = (t = (x = 1, y = 0), u = \"u\", pairs = [(first = (x = 0, y = 2), second = \"second\", both = ())])");
        text.ShouldContain("branch = (leaf = (t = \"t\", u = (x = 3, y = 0)), boxed = (value = (x = 0, y = 4)))");
    }

    [Fact]
    public async Task A_struct_nested_in_two_generic_scopes_reads_what_the_reference_wrote()
    {
        const string input = "(leaf = (t = (x = 5), u = \"v\", pairs = [(first = (y = 6), second = \"w\")]), "
            + "branch = (leaf = (t = \"s\", u = (y = 7)), boxed = (value = (x = 8))))";
        byte[] bytes = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes(input), "encode", "generics.capnp", "Holder");

        using var message = MessageSerializer.Read(bytes);
        var h = Holder.ReadRoot(message);

        h.Leaf.T.X.ShouldBe(5);
        h.Leaf.U.ShouldBe("v");
        h.Leaf.Pairs[0].First.Y.ShouldBe(6);
        h.Leaf.Pairs[0].Second.ShouldBe("w");
        h.Branch.Leaf.T.ShouldBe("s");
        h.Branch.Leaf.U.Y.ShouldBe(7);
        h.Branch.Boxed.Value.X.ShouldBe(8);
    }

    private sealed class CoordSource : GenericsCapnp.ISourceOfCoord
    {
        public ValueTask FetchAsync(GenericsCapnp.SourceOfCoord.FetchResults.Builder results, CancellationToken cancellationToken)
        {
            results.InitItem().SetY(9);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task An_interface_nested_in_a_generic_struct_is_typed_by_the_structs_argument_over_the_wire()
    {
        typeof(Holder.Reader).GetProperty("Source")!.PropertyType.ShouldBe(typeof(GenericsCapnp.SourceOfCoordClient));

        using var bootstrap = ZapCapability.FromServer(new GenericsCapnp.SourceOfCoordServer(new CoordSource()));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        using var source = new GenericsCapnp.SourceOfCoordClient(connection.Bootstrap());

        using var fetch = source.Fetch();
        using var results = await fetch.ResultAsync().AsTask().WaitAsync(HangGuard);

        results.Value.Item.Y.ShouldBe(9);
    }
}
