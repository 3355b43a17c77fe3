namespace Hanzo.Zt.Billing;

/// <summary>
/// A billing provider: the balance gate consulted before every dial, and the sink for every session's
/// usage. Implementations must be safe to call concurrently.
/// </summary>
public interface IBillingProvider
{
    /// <summary>Returns the balance of <paramref name="account"/> in <paramref name="currency"/>.</summary>
    /// <exception cref="ZtBillingException">The provider failed, refused, or could not be reached.</exception>
    ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a session's usage. Must be idempotent on <see cref="UsageRecord.RequestId"/>: a replay
    /// returns normally without charging again.
    /// </summary>
    /// <exception cref="ZtBillingException">The provider failed or refused the record.</exception>
    ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default);
}
