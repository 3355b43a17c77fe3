using System.Text;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// Generic methods (Schemas/stores.capnp's <c>Lookup.get @0 [U]</c>): as in the reference, U is bound at each call,
/// so the client picks it per call (<c>InitKeyAs&lt;Tile.Builder&gt;()</c>, <c>ValueAs&lt;Tile.Reader&gt;()</c>) and the
/// server sees an untyped pointer it may read as any struct.
/// </summary>
public sealed class GenericMethodTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>Echoes the key back, whatever U the caller bound.</summary>
    private sealed class EchoLookup : ILookup
    {
        private uint calls;

        public ValueTask GetAsync(PointerReader key, Lookup.GetResults.Builder results, CancellationToken cancellationToken)
        {
            results.Value.SetFrom(key);
            results.SetHits(++calls);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public void The_server_contract_leaves_the_method_parameter_unbound_and_the_client_binds_it_per_call()
    {
        typeof(ILookup).GetMethod("GetAsync")!.GetParameters()[0].ParameterType.ShouldBe(typeof(PointerReader));
        var initKey = typeof(Lookup.GetParams.Builder).GetMethod("InitKeyAs")!;
        initKey.IsGenericMethodDefinition.ShouldBeTrue();
        initKey.GetGenericArguments()[0].GetGenericParameterConstraints().ShouldContain(typeof(IZapPointerBuildable<>).MakeGenericType(initKey.GetGenericArguments()[0]));
        typeof(Lookup.GetResults.Reader).GetMethod("ValueAs")!.IsGenericMethodDefinition.ShouldBeTrue();
    }

    [Fact]
    public async Task Parameters_bound_to_a_struct_are_the_bytes_the_reference_reads_for_that_struct()
    {
        using var message = new MessageBuilder();
        var key = Lookup.GetParams.InitRoot(message).InitKeyAs<Tile.Builder>();
        key.SetX(5);
        key.SetY(-6);

        string text = Encoding.UTF8.GetString(
            await ReferenceTool.RunAsync(MessageSerializer.ToArray(message), "decode", "--short", "stores.capnp", "TileKey"));

        text.Trim().ShouldBe("(key = (x = 5, y = -6))");
    }

    [Fact]
    public async Task Parameters_the_reference_encoded_for_a_struct_read_as_that_struct()
    {
        byte[] bytes = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes("(key = (x = 7, y = 8))"), "encode", "stores.capnp", "TileKey");

        using var message = MessageSerializer.Read(bytes);
        var tile = Lookup.GetParams.ReadRoot(message).KeyAs<Tile.Reader>();

        (tile.X, tile.Y).ShouldBe((7, 8));
    }

    [Fact]
    public async Task Each_call_binds_its_own_type_over_the_wire()
    {
        using var bootstrap = ZapCapability.FromServer(new LookupServer(new EchoLookup()));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        using var lookup = new LookupClient(connection.Bootstrap());

        using (var request = lookup.NewGetRequest())
        {
            var key = request.Params.InitKeyAs<Tile.Builder>();
            key.SetX(1);
            key.SetY(2);
            using var promise = request.Send();
            using var results = await promise.ResultAsync().AsTask().WaitAsync(HangGuard);
            var tile = results.Value.ValueAs<Tile.Reader>();

            (tile.X, tile.Y, results.Value.Hits).ShouldBe((1, 2, 1u));
        }

        using (var request = lookup.NewGetRequest())
        {
            request.Params.InitKeyAs<Label.Builder>().SetText("second call, other type");
            using var promise = request.Send();
            using var results = await promise.ResultAsync().AsTask().WaitAsync(HangGuard);

            results.Value.ValueAs<Label.Reader>().Text.ShouldBe("second call, other type");
            results.Value.Hits.ShouldBe(2u);
        }
    }

    [Fact]
    public async Task A_server_reads_the_unbound_parameter_as_the_struct_it_expects()
    {
        var reader = new ReadingLookup();
        using var bootstrap = ZapCapability.FromServer(new LookupServer(reader));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        using var lookup = new LookupClient(connection.Bootstrap());

        using var request = lookup.NewGetRequest();
        request.Params.InitKeyAs<Tile.Builder>().SetY(41);
        using var promise = request.Send();
        using var results = await promise.ResultAsync().AsTask().WaitAsync(HangGuard);

        results.Value.ValueAs<Tile.Reader>().Y.ShouldBe(42);
    }

    private sealed class ReadingLookup : ILookup
    {
        public ValueTask GetAsync(PointerReader key, Lookup.GetResults.Builder results, CancellationToken cancellationToken)
        {
            var tile = ZapPointer.Read<Tile.Reader>(key);
            results.InitValueAs<Tile.Builder>().SetY(tile.Y + 1);
            return ValueTask.CompletedTask;
        }
    }
}
