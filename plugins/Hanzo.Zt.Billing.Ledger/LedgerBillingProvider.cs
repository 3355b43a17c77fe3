namespace Hanzo.Zt.Billing.Ledger;

/// <summary>
/// A billing provider for self-hosting, over a <see cref="LedgerStore"/>. The wallet is the account's org;
/// the ledger keeps no holds, so <c>available = balance</c>. Usage priced in micros is charged in whole cents,
/// rounded up.
/// </summary>
public sealed class LedgerBillingProvider(LedgerStore store) : IBillingProvider
{
    private const long MicrosPerCent = 10_000;

    /// <inheritdoc />
    public async ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        try
        {
            var balance = await store.GetBalanceAsync(LedgerAccounts.OrgOf(account), account, currency, cancellationToken).ConfigureAwait(false);
            const long holds = 0;
            return new BalanceResult(account, balance.Currency, balance.Balance, holds, balance.Balance - holds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ZtException)
        {
            throw new ZtBillingException($"the ledger could not read the balance of '{account}': {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.AmountMicros <= 0) return; // nothing to charge
        var cents = (usage.AmountMicros + MicrosPerCent - 1) / MicrosPerCent;
        try
        {
            await store.RecordUsageAsync(
                new LedgerUsage
                {
                    RequestId = usage.RequestId,
                    Org = LedgerAccounts.OrgOf(usage.Account),
                    User = usage.Account,
                    Amount = cents,
                    Currency = usage.Currency,
                    Provider = "zt",
                    Model = usage.Service,
                    Status = usage.Status,
                    ClientIp = usage.ClientIp,
                    Notes = $"session {usage.SessionId} by {usage.Identity}",
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ZtException)
        {
            throw new ZtBillingException($"the ledger could not record usage '{usage.RequestId}': {ex.Message}", ex);
        }
    }
}
