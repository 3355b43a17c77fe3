using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Billing;
using Hanzo.Zt.Billing.Commerce;
using Hanzo.Zt.Billing.Ledger.Http;
using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Fabric;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Billing through the fabric: the ledger server over HTTP behind the Commerce provider, the balance gate on
/// every dial and the usage each closed connection records.
/// </summary>
public sealed class BillingThroughFabricTests(FabricFixture fabric) : IClassFixture<FabricFixture>, IAsyncLifetime
{
    private const string Token = "ledger-service-token";
    private static readonly UsageRate Rate = new() { MicrosPerGBSent = 7_000_000_000, MicrosPerGBReceived = 3_000_000_000 };
    private readonly string _data = Directory.CreateTempSubdirectory("hanzo-zt-ledger-").FullName;
    private LedgerServer _ledger = null!;
    private HttpClient _ledgerClient = null!;
    private readonly List<ServiceProvider> _containers = [];

    public async Task InitializeAsync()
    {
        _ledger = await LedgerServer.StartAsync(Path.Combine(_data, "ledger"), "http://127.0.0.1:0", Token);
        _ledgerClient = new HttpClient { BaseAddress = _ledger.Address };
        _ledgerClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }

        _ledgerClient.Dispose();
        await _ledger.DisposeAsync();
    }

    /// <summary>A process's fabric as AddHanzoZt builds it: the identity file, Commerce billing at the ledger, the given account.</summary>
    private ServiceProvider Billed(string identityFile, string account)
    {
        var services = new ServiceCollection();
        services.AddHanzoZt(o =>
            {
                o.IdentityFile = identityFile;
                o.Billing.Account = account;
                o.Billing.OutboxPath = Path.Combine(_data, $"outbox-{_containers.Count}.db");
                o.Billing.Rates.Default = Rate;
            })
            .AddCommerceBilling(o =>
            {
                o.BaseUrl = _ledger.Address.ToString();
                o.ServiceToken = Token;
            });
        var container = services.BuildServiceProvider();
        _containers.Add(container);
        return container;
    }

    [Fact]
    public async Task A_dial_through_the_fabric_debits_the_ledger_exactly_the_metered_usage()
    {
        (await _ledgerClient.PostAsJsonAsync("/v1/billing/deposit", new { user = "acme", currency = "usd", amount = 10_000, notes = "top-up" })).EnsureSuccessStatusCode();
        var setup = await fabric.CreateServiceAsync("billed");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service);
        _ = Echo.ServeAsync(listener);
        var services = Billed(setup.ClientIdentity, "acme/client");
        var client = services.GetRequiredService<ZtContext>();

        long expectedMicros = 0;
        foreach (int size in new[] { 1_000_000, 2_345_678, 99_999 })
        {
            await using var connection = await client.DialAsync(setup.Service);
            var payload = new byte[size];
            var writing = Task.Run(async () =>
            {
                await connection.WriteAsync(payload);
                await connection.CloseWriteAsync();
            });
            await connection.CopyToAsync(Stream.Null);
            await writing;
            expectedMicros += RateCard.PriceMicros(Rate, size, size, TimeSpan.Zero, 0);
        }

        var outbox = services.GetRequiredService<UsageOutbox>();
        await outbox.DeliverAsync(services.GetRequiredService<IBillingProvider>());
        var status = await outbox.GetStatusAsync();
        status.PendingDeliveries.ShouldBe(0);
        status.PoisonedDeliveries.ShouldBe(0);

        long debited = 10_000 - await BalanceAsync("acme");
        debited.ShouldBe(status.DeliveredCents);
        (debited * UsageOutbox.MicrosPerCent + status.CarriedMicros).ShouldBe(expectedMicros);
        debited.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_dial_without_balance_fails_with_InsufficientBalance_before_reaching_the_fabric()
    {
        var setup = await fabric.CreateServiceAsync("unpaid");
        var client = Billed(setup.ClientIdentity, "broke/client").GetRequiredService<ZtContext>();

        var error = await Should.ThrowAsync<ZtInsufficientBalanceException>(client.DialAsync(setup.Service));

        error.ErrorCode.ShouldBe(ZtErrorCode.InsufficientBalance);
        error.Account.ShouldBe("broke/client");
    }

    private async Task<long> BalanceAsync(string user)
    {
        using var response = await _ledgerClient.GetAsync($"/v1/billing/balance?user={Uri.EscapeDataString(user)}&currency=usd");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("balance").GetInt64();
    }
}
