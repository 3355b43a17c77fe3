using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// Generic interfaces used with arguments (Schemas/stores.capnp): <c>Store(Tile)</c> and <c>Store(Text)</c> get typed
/// contracts, clients and servers whose parameters and results are the argument's readers and builders, and they
/// speak the same calls as the untyped <c>Store</c>, over tcp:// on loopback.
/// </summary>
public sealed class GenericInterfaceTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private sealed class TileStore : StoresCapnp.IStoreOfTile
    {
        public List<(int X, int Y)> Tiles { get; } = [];

        public ValueTask PutAsync(Tile.Reader value, CancellationToken cancellationToken)
        {
            Tiles.Add((value.X, value.Y));
            return ValueTask.CompletedTask;
        }

        public ValueTask GetAsync(StoresCapnp.StoreOfTile.GetResults.Builder results, CancellationToken cancellationToken)
        {
            var tile = results.InitValue();
            tile.SetX(Tiles.Sum(t => t.X));
            tile.SetY(Tiles.Sum(t => t.Y));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class TextStore : StoresCapnp.IStoreOfText
    {
        private string stored = string.Empty;

        public ValueTask PutAsync(string value, CancellationToken cancellationToken)
        {
            stored += value;
            return ValueTask.CompletedTask;
        }

        public ValueTask<string> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(stored.ToUpperInvariant());
    }

    /// <summary>A server of the generic interface as such: its parameter is an untyped pointer.</summary>
    private sealed class UntypedStore : IStore
    {
        public string? Stored { get; private set; }

        public ValueTask PutAsync(PointerReader value, CancellationToken cancellationToken)
        {
            Stored = value.GetText();
            return ValueTask.CompletedTask;
        }

        public ValueTask GetAsync(Store.GetResults.Builder results, CancellationToken cancellationToken)
        {
            results.Value.SetText("untyped:" + Stored);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ShelfService(StoresCapnp.IStoreOfTile tiles, IStore texts) : IShelf
    {
        public ValueTask<StoresCapnp.IStoreOfTile> PointsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(tiles);

        public ValueTask<StoresCapnp.IStoreOfText> TextsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<StoresCapnp.IStoreOfText>(new TextStore());

        // A typed proxy over the untyped server: the results take their own reference to its capability.
        public ValueTask<StoresCapnp.IStoreOfText> LookupAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<StoresCapnp.IStoreOfText>(new StoresCapnp.StoreOfTextClient(ZapCapability.FromServer(new StoreServer(texts))));
    }

    private static async Task<(ZapListener Listener, ZapConnection Connection, ShelfClient Client)> StartAsync(IShelf shelf)
    {
        using var bootstrap = ZapCapability.FromServer(new ShelfServer(shelf));
        var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        return (listener, connection, new ShelfClient(connection.Bootstrap()));
    }

    [Fact]
    public void A_generic_interface_used_with_a_struct_takes_and_gives_that_structs_reader_and_builder()
    {
        typeof(StoresCapnp.IStoreOfTile).GetMethod("PutAsync")!.GetParameters()[0].ParameterType.ShouldBe(typeof(Tile.Reader));
        typeof(StoresCapnp.StoreOfTile.GetResults.Reader).GetProperty("Value")!.PropertyType.ShouldBe(typeof(Tile.Reader));
        typeof(StoresCapnp.StoreOfTile.PutParams.Builder).GetMethod("InitValue")!.ReturnType.ShouldBe(typeof(Tile.Builder));
        typeof(IShelf).GetMethod("PointsAsync")!.ReturnType.ShouldBe(typeof(ValueTask<StoresCapnp.IStoreOfTile>));
        typeof(Shelf.PointsPromise).GetProperty("Store")!.PropertyType.ShouldBe(typeof(StoresCapnp.StoreOfTileClient));
        typeof(IStore).GetMethod("PutAsync")!.GetParameters()[0].ParameterType.ShouldBe(typeof(PointerReader));
        StoresCapnp.StoreOfTile.InterfaceId.ShouldBe(Store.InterfaceId);

        // A generic superclass is typed with the same arguments; an interface argument is its typed client.
        typeof(StoresCapnp.IShopOfTile).GetInterfaces().ShouldContain(typeof(StoresCapnp.IStoreOfTile));
        typeof(Fixtures.Reader).GetProperty("Nested")!.PropertyType.ShouldBe(typeof(StoresCapnp.StoreOfStoreOfTextClient));
        typeof(StoresCapnp.IStoreOfStoreOfText).GetMethod("GetAsync")!.ReturnType.ShouldBe(typeof(ValueTask<StoresCapnp.IStoreOfText>));
    }

    [Fact]
    public async Task A_typed_store_of_structs_round_trips_through_a_pipelined_capability()
    {
        var tiles = new TileStore();
        var (listener, connection, shelf) = await StartAsync(new ShelfService(tiles, new UntypedStore()));
        await using (listener)
        await using (connection)
        using (shelf)
        {
            using var points = shelf.Points();
            using var store = points.Store;
            foreach (var (x, y) in new[] { (1, 10), (2, 20) })
            {
                using var put = store.NewPutRequest();
                var tile = put.Params.InitValue();
                tile.SetX(x);
                tile.SetY(y);
                using var sent = put.Send();
                await sent.ResultAsync().AsTask().WaitAsync(HangGuard);
            }

            using var get = store.Get();
            using var result = await get.ResultAsync().AsTask().WaitAsync(HangGuard);

            (result.Value.Value.X, result.Value.Value.Y).ShouldBe((3, 30));
            tiles.Tiles.ShouldBe([(1, 10), (2, 20)]);
        }
    }

    [Fact]
    public async Task A_typed_store_of_text_is_called_with_strings_through_its_contract()
    {
        var (listener, connection, shelf) = await StartAsync(new ShelfService(new TileStore(), new UntypedStore()));
        await using (listener)
        await using (connection)
        using (shelf)
        {
            using var texts = shelf.Texts();
            StoresCapnp.IStoreOfText store = texts.Store;
            await store.PutAsync("ab", CancellationToken.None).AsTask().WaitAsync(HangGuard);
            await store.PutAsync("cd", CancellationToken.None).AsTask().WaitAsync(HangGuard);

            (await store.GetAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard)).ShouldBe("ABCD");
            ((IDisposable)store).Dispose();
        }
    }

    [Fact]
    public async Task A_typed_client_and_an_untyped_server_of_the_same_generic_interface_understand_each_other()
    {
        var untyped = new UntypedStore();
        var (listener, connection, shelf) = await StartAsync(new ShelfService(new TileStore(), untyped));
        await using (listener)
        await using (connection)
        using (shelf)
        {
            using var lookup = shelf.Lookup();
            using var store = lookup.Store;

            using (var put = store.Put("plain"))
            {
                await put.ResultAsync().AsTask().WaitAsync(HangGuard);
            }

            using var get = store.Get();
            (await get.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe("untyped:plain");
            untyped.Stored.ShouldBe("plain");
        }
    }

    private sealed class Labels : StoresCapnp.ILabelStore
    {
        private string last = string.Empty;

        public ValueTask PutAsync(Label.Reader value, CancellationToken cancellationToken)
        {
            last = value.Text;
            return ValueTask.CompletedTask;
        }

        public ValueTask GetAsync(StoresCapnp.LabelStore.GetResults.Builder results, CancellationToken cancellationToken)
        {
            results.InitValue().SetText("got " + last);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_using_alias_names_typed_stubs_for_a_capability_only_ever_bootstrapped()
    {
        using var bootstrap = ZapCapability.FromServer(new StoresCapnp.LabelStoreServer(new Labels()));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        using var store = new StoresCapnp.LabelStoreClient(connection.Bootstrap());

        using (var put = store.NewPutRequest())
        {
            put.Params.InitValue().SetText("tag");
            using var sent = put.Send();
            await sent.ResultAsync().AsTask().WaitAsync(HangGuard);
        }

        using var get = store.Get();
        using var result = await get.ResultAsync().AsTask().WaitAsync(HangGuard);
        result.Value.Value.Text.ShouldBe("got tag");
    }

    private sealed class TileShop : StoresCapnp.IShopOfTile
    {
        private readonly TileStore store = new();

        public ValueTask PutAsync(Tile.Reader value, CancellationToken cancellationToken) => store.PutAsync(value, cancellationToken);

        public ValueTask GetAsync(StoresCapnp.StoreOfTile.GetResults.Builder results, CancellationToken cancellationToken) =>
            store.GetAsync(results, cancellationToken);

        public ValueTask<uint> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult((uint)store.Tiles.Count);
    }

    [Fact]
    public async Task Methods_inherited_from_a_generic_superclass_are_typed_with_the_same_arguments()
    {
        using var bootstrap = ZapCapability.FromServer(new StoresCapnp.ShopOfTileServer(new TileShop()));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        using var shop = new StoresCapnp.ShopOfTileClient(connection.Bootstrap());

        using (var put = shop.NewPutRequest())
        {
            put.Params.InitValue().SetX(6);
            using var sent = put.Send();
            await sent.ResultAsync().AsTask().WaitAsync(HangGuard);
        }

        using var get = shop.Get();
        using var result = await get.ResultAsync().AsTask().WaitAsync(HangGuard);
        result.Value.Value.X.ShouldBe(6);
        using var count = shop.Count();
        (await count.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(1u);
    }
}
