using System.Collections.Concurrent;
using Hanzo.Zt.Billing;

namespace Hanzo.Zt.TestPlugin;

/// <summary>A billing provider with a balance set by the plugin's entry point.</summary>
public sealed class FixedBalanceBillingProvider(PluginSettings settings) : IBillingProvider
{
    private readonly ConcurrentDictionary<string, UsageRecord> _recorded = new();

    public ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new BalanceResult(account, currency, settings.BalanceCents, 0, settings.BalanceCents));

    public ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default)
    {
        _recorded.TryAdd(usage.RequestId, usage);
        return ValueTask.CompletedTask;
    }

    public int RecordedCount => _recorded.Count;
}
