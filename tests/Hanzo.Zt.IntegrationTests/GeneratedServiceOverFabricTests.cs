using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Zap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>A code-first service for the fabric tests: its client, server and registration are generated.</summary>
[ZtService]
public interface IInventory
{
    Task<Stock> ReserveAsync(string sku, int quantity, CancellationToken cancellationToken);

    Task<List<Stock>> ListAsync(string[] skus, CancellationToken cancellationToken);

    Task<byte[]> ChecksumAsync(byte[] data, CancellationToken cancellationToken);

    Task FailAsync(string reason, CancellationToken cancellationToken);
}

/// <summary>A struct carried by value.</summary>
public sealed record Stock(string Sku, int Left, List<string> Warehouses);

/// <summary>
/// Generated clients and servers over <c>zt://</c>: the host and the caller each have their own enrolled identity
/// and their own container, wired only with <c>AddZapService</c>/<c>AddZapClient</c> and the fabric transport.
/// </summary>
public sealed class GeneratedServiceOverFabricTests(FabricFixture fabric) : IClassFixture<FabricFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    internal sealed class Inventory : IInventory
    {
        private int _left = 10;

        public Task<Stock> ReserveAsync(string sku, int quantity, CancellationToken cancellationToken) =>
            Task.FromResult(new Stock(sku, Interlocked.Add(ref _left, -quantity), ["ams", "sfo"]));

        public Task<List<Stock>> ListAsync(string[] skus, CancellationToken cancellationToken) =>
            Task.FromResult(skus.Select(s => new Stock(s, _left, [])).ToList());

        public Task<byte[]> ChecksumAsync(byte[] data, CancellationToken cancellationToken) =>
            Task.FromResult(System.Security.Cryptography.SHA256.HashData(data));

        public Task FailAsync(string reason, CancellationToken cancellationToken) => throw new InvalidOperationException(reason);
    }

    [Fact]
    public async Task A_ZtService_is_served_and_called_through_dependency_injection_over_zt()
    {
        var setup = await fabric.CreateServiceAsync("inventory");
        string address = $"zt://{setup.Service}";
        await using var host = await StartAsync(setup.HostIdentity, zt => zt.AddZapService<IInventory, Inventory>(address));
        await using var caller = await StartAsync(setup.ClientIdentity, zt => zt.AddZapClient<IInventory>(address));
        var inventory = caller.GetRequiredService<IInventory>();

        var reserved = await inventory.ReserveAsync("sku-1", 3, CancellationToken.None).WaitAsync(Guard);
        var listed = await inventory.ListAsync(["a", "b"], CancellationToken.None).WaitAsync(Guard);
        var data = new byte[200_000];
        new Random(7).NextBytes(data);
        var checksum = await inventory.ChecksumAsync(data, CancellationToken.None).WaitAsync(Guard);

        (reserved.Sku, reserved.Left).ShouldBe(("sku-1", 7));
        reserved.Warehouses.ShouldBe(["ams", "sfo"]);
        listed.Select(s => (s.Sku, s.Left)).ShouldBe([("a", 7), ("b", 7)]);
        checksum.ShouldBe(System.Security.Cryptography.SHA256.HashData(data));
    }

    [Fact]
    public async Task A_server_exception_reaches_the_zt_caller_as_a_ZapException()
    {
        var setup = await fabric.CreateServiceAsync("inventory-fail");
        string address = $"zt://{setup.Service}";
        await using var host = await StartAsync(setup.HostIdentity, zt => zt.AddZapService<IInventory, Inventory>(address));
        await using var caller = await StartAsync(setup.ClientIdentity, zt => zt.AddZapClient<IInventory>(address));

        var error = await Should.ThrowAsync<ZapException>(
            caller.GetRequiredService<IInventory>().FailAsync("out of stock", CancellationToken.None).WaitAsync(Guard));

        error.Message.ShouldContain("out of stock");
    }

    /// <summary>One process-like container: AddHanzoZt with an enrolled identity (billing off), and what the test registers.</summary>
    private static async Task<ServiceProvider> StartAsync(string identityFile, Action<IZtBuilder> configure)
    {
        var services = new ServiceCollection();
        var zt = services.AddHanzoZt(o =>
        {
            o.IdentityFile = identityFile;
            o.Billing.Enabled = false;
        });
        configure(zt);
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None).WaitAsync(Guard);
            if (hosted is ZapServiceHost<IInventory> served)
            {
                await served.WhenBound.WaitAsync(Guard);
            }
        }

        return provider;
    }
}
