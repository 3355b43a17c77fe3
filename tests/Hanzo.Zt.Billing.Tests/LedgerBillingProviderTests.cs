using Hanzo.Zt.Billing.Ledger;

namespace Hanzo.Zt.Billing.Tests;

public class LedgerBillingProviderTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "zt-ledger-" + Guid.NewGuid().ToString("N"));
    private LedgerStore _store = null!;

    public async Task InitializeAsync() => _store = await LedgerStore.OpenAsync(_dataDirectory);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Positive_available_balance_is_allowed()
    {
        await _store.DepositAsync("hanzo", "hanzo/alice", 1);
        var provider = new LedgerBillingProvider(_store);

        var balance = await provider.GetBalanceAsync("hanzo/alice");

        balance.ShouldBe(new BalanceResult("hanzo/alice", "usd", 1, 0, 1));
        balance.IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public async Task Zero_available_balance_is_refused()
    {
        await _store.DepositAsync("hanzo", "hanzo/alice", 100);
        var provider = new LedgerBillingProvider(_store);
        await provider.RecordUsageAsync(Usage("r1", amountMicros: 1_000_000));

        var balance = await provider.GetBalanceAsync("hanzo/alice");

        balance.Available.ShouldBe(0);
        balance.IsAllowed.ShouldBeFalse();
    }

    [Fact]
    public async Task Usage_in_micros_is_charged_in_cents_rounded_up_and_once_per_request_id()
    {
        await _store.DepositAsync("hanzo", "hanzo/alice", 100);
        var provider = new LedgerBillingProvider(_store);

        await provider.RecordUsageAsync(Usage("r1", amountMicros: 10_001));
        await provider.RecordUsageAsync(Usage("r1", amountMicros: 10_001));

        (await provider.GetBalanceAsync("hanzo/alice")).Balance.ShouldBe(98);
    }

    [Fact]
    public async Task Store_reports_a_replay_with_the_original_entry()
    {
        var usage = new LedgerUsage { RequestId = "k", Org = "hanzo", User = "hanzo/alice", Amount = 5 };

        var first = await _store.RecordUsageAsync(usage);
        var second = await _store.RecordUsageAsync(usage with { Amount = 7 });

        first.IsReplay.ShouldBeFalse();
        second.IsReplay.ShouldBeTrue();
        second.Entry.ShouldBe(first.Entry);
        (await _store.GetBalanceAsync("hanzo")).Balance.ShouldBe(-5);
    }

    private static UsageRecord Usage(string requestId, long amountMicros) => new()
    {
        RequestId = requestId,
        Account = "hanzo/alice",
        Service = "echo",
        SessionId = "s1",
        Identity = "alice",
        AmountMicros = amountMicros,
    };
}
