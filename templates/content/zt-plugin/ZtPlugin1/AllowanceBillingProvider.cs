using System.Collections.Concurrent;
using Hanzo.Zt.Billing;

namespace ZtPlugin1;

/// <summary>
/// A billing provider that gives every account a fixed allowance (in cents) and charges usage against it, kept in
/// memory. Replace the dictionary with your billing system's API: the gate asks for the balance before each dial,
/// and the metering engine posts each session's priced usage here.
/// </summary>
public sealed class AllowanceBillingProvider : IBillingProvider
{
    /// <summary>What each account starts with, in cents.</summary>
    public const long AllowanceCents = 100;

    private readonly ConcurrentDictionary<string, long> _spent = new(StringComparer.Ordinal);

    public ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default)
    {
        long balance = AllowanceCents - _spent.GetValueOrDefault(account);
        return ValueTask.FromResult(new BalanceResult(account, currency, balance, 0, balance));
    }

    public ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default)
    {
        long cents = (usage.AmountMicros + 9_999) / 10_000;
        _spent.AddOrUpdate(usage.Account, cents, (_, spent) => spent + cents);
        return ValueTask.CompletedTask;
    }
}
