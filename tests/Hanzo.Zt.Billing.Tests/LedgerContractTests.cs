using System.Net;
using System.Net.Http.Json;
using Hanzo.Zt.Billing.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.Billing.Tests;

/// <summary>The parts of the Commerce contract the metering clients lean on: the tier gate and duplicates in flight.</summary>
public sealed class LedgerContractTests : IAsyncLifetime
{
    private LedgerServerHarness _ledger = null!;

    public async Task InitializeAsync() => _ledger = await LedgerServerHarness.StartAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task Tier_answers_the_effective_available_balance_of_the_org()
    {
        (await _ledger.DepositAsync("acme/alice", 250)).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/billing/tier");
        request.Headers.Add("X-Org-Id", "acme");

        using var response = await _ledger.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await LedgerServerHarness.ReadJsonAsync(response)).GetProperty("balance").GetProperty("effectiveAvailable").GetInt64().ShouldBe(250);
    }

    [Fact]
    public async Task Concurrent_duplicates_charge_once_and_are_answered_201_200_or_409()
    {
        (await _ledger.DepositAsync("acme", 1_000)).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => _ledger.PostUsageAsync("acme/alice", 9, "dup-1")));

        var codes = responses.Select(r => (int)r.StatusCode).ToList();
        codes.Count(c => c == 201).ShouldBe(1);
        codes.ShouldAllBe(c => c == 201 || c == 200 || c == 409);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            conflict.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await _ledger.BalanceAsync("acme")).ShouldBe(991);

        using var replay = await _ledger.PostUsageAsync("acme/alice", 9, "dup-1");
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadFromJsonAsync<TransactionBody>())!.Amount.ShouldBe(9);
    }

    private sealed record TransactionBody(string TransactionId, string User, long Amount, string Currency, string Type);
}

public class LedgerRegistrationTests
{
    [Fact]
    public async Task AddLedgerBilling_gates_and_meters_over_the_embedded_ledger()
    {
        var directory = Directory.CreateTempSubdirectory("zt-ledger-di-").FullName;
        try
        {
            var services = new ServiceCollection();
            services.AddHanzoZt(o => o.Billing.OutboxPath = Path.Combine(directory, "outbox.db"))
                .AddLedgerBilling(Path.Combine(directory, "ledger"));
            await using var provider = services.BuildServiceProvider();
            var store = provider.GetRequiredService<LedgerStore>();
            var gate = provider.GetRequiredService<BillingGate>();
            provider.GetRequiredService<IBillingProvider>().ShouldBeOfType<LedgerBillingProvider>();

            await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await gate.EnsureAllowedAsync("acme/alice"));
            await store.DepositAsync("acme", "acme/alice", 1);
            gate.Invalidate();
            await gate.EnsureAllowedAsync("acme/alice");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
