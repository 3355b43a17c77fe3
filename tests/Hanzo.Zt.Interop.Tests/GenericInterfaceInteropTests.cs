using Hanzo.Zt.Interop.Tests.Depot;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Interop.Tests;

/// <summary>
/// Generated typed stubs of a generic interface used with arguments (Peer/generic/depot.capnp's Store(Tile) and
/// Store(Text)) against the reference C++ RPC's templated <c>Store&lt;Tile&gt;</c> and <c>Store&lt;Text&gt;</c>, both ways.
/// </summary>
public sealed class GenericInterfaceInteropTests
{
    private static readonly ZapConnectionOptions Standard = new() { Framing = ZapFraming.Standard };
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Our_typed_clients_call_cpp_generic_servers()
    {
        var (server, port) = await CppPeer.ServeAsync("depot-serve", CppPeer.GenericPath);
        await using (server)
        await using (var connection = await ZapClient.ConnectAsync(new Uri($"tcp://127.0.0.1:{port}"), Standard))
        {
            using var depot = new DepotClient(connection.Bootstrap());
            using var tiles = depot.Tiles();
            using var tileStore = tiles.Store;
            foreach (var (x, y) in new[] { (1, 10), (2, 20) })
            {
                using var put = tileStore.NewPutRequest();
                var tile = put.Params.InitValue();
                tile.SetX(x);
                tile.SetY(y);
                using var sent = put.Send();
                await sent.ResultAsync().AsTask().WaitAsync(HangGuard);
            }

            using var get = tileStore.Get();
            using var sum = await get.ResultAsync().AsTask().WaitAsync(HangGuard);
            (sum.Value.Value.X, sum.Value.Value.Y).ShouldBe((3, 30));

            using var labels = depot.Labels();
            DepotCapnp.IStoreOfText labelStore = labels.Store;
            await labelStore.PutAsync("ab", CancellationToken.None).AsTask().WaitAsync(HangGuard);
            await labelStore.PutAsync("cd", CancellationToken.None).AsTask().WaitAsync(HangGuard);
            (await labelStore.GetAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard)).ShouldBe("ABCD");
            ((IDisposable)labelStore).Dispose();
        }
    }

    [Fact]
    public async Task A_cpp_client_calls_our_typed_generic_servers()
    {
        using var bootstrap = ZapCapability.FromServer(new DepotServer(new DepotService()));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap, Standard);

        await using var client = PeerProcess.Start(CppPeer.GenericPath, "depot-client", $"127.0.0.1:{((System.Net.IPEndPoint)listener.EndPoint).Port}");
        int exit = await client.WaitForExitAsync();

        exit.ShouldBe(0, client.Transcript);
        client.Lines.ShouldBe(["tiles: PASS", "labels: PASS"]);
    }

    private sealed class DepotService : IDepot
    {
        public ValueTask<DepotCapnp.IStoreOfTile> TilesAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<DepotCapnp.IStoreOfTile>(new TileStore());

        public ValueTask<DepotCapnp.IStoreOfText> LabelsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<DepotCapnp.IStoreOfText>(new TextStore());
    }

    private sealed class TileStore : DepotCapnp.IStoreOfTile
    {
        private int x;
        private int y;

        public ValueTask PutAsync(Tile.Reader value, CancellationToken cancellationToken)
        {
            x += value.X;
            y += value.Y;
            return ValueTask.CompletedTask;
        }

        public ValueTask GetAsync(DepotCapnp.StoreOfTile.GetResults.Builder results, CancellationToken cancellationToken)
        {
            var tile = results.InitValue();
            tile.SetX(x);
            tile.SetY(y);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class TextStore : DepotCapnp.IStoreOfText
    {
        private string text = string.Empty;

        public ValueTask PutAsync(string value, CancellationToken cancellationToken)
        {
            text += value;
            return ValueTask.CompletedTask;
        }

        public ValueTask<string> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(text.ToUpperInvariant());
    }
}
