using Hanzo.Zt.Billing;
using Hanzo.Zt.Fabric;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Diagnostics;

/// <summary>
/// Billing as dials see it: healthy when billing is off, or the provider answers with a positive balance for the
/// billing account and no usage delivery was refused; degraded when the balance is exhausted (dials are refused
/// until funds arrive) or deliveries were refused; unhealthy when billing is on and no provider is registered or
/// the provider cannot be reached (dials fail closed).
/// </summary>
public sealed class ZtBillingHealthCheck(IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = services.GetService<IOptions<ZtBillingOptions>>()?.Value ?? new ZtBillingOptions();
        if (!options.Enabled)
        {
            return HealthCheckResult.Healthy("billing is off (HanzoZt:Billing:Enabled=false)");
        }

        if (services.GetService<IBillingProvider>() is not { } provider)
        {
            return HealthCheckResult.Unhealthy("billing is on but no billing provider is registered: add AddCommerceBilling() or AddLedgerBilling(), or set HanzoZt:Billing:Enabled=false");
        }

        var data = new Dictionary<string, object>();
        string? refused = null;
        if (services.GetService<UsageOutbox>() is { } outbox)
        {
            var status = await outbox.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            data["pendingDeliveries"] = status.PendingDeliveries;
            data["poisonedDeliveries"] = status.PoisonedDeliveries;
            if (status.PoisonedDeliveries > 0)
            {
                refused = $"the provider refused {status.PoisonedDeliveries} usage deliveries (see the outbox's poisoned records)";
            }
        }

        if (services.GetService<ZtContext>() is not { } zt)
        {
            return refused is null ? HealthCheckResult.Healthy("billing provider registered", data) : HealthCheckResult.Degraded(refused, data: data);
        }

        string account = await zt.GetBillingAccountAsync(cancellationToken).ConfigureAwait(false);
        data["account"] = account;
        BalanceResult balance;
        try
        {
            balance = await provider.GetBalanceAsync(account, options.Currency, cancellationToken).ConfigureAwait(false);
        }
        catch (ZtInsufficientBalanceException e)
        {
            return HealthCheckResult.Degraded($"account '{account}' has no balance: dials are refused until funds arrive ({e.Message})", e, data);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the billing provider does not answer for account '{account}': {e.Message}", e, data);
        }

        data["available"] = balance.Available;
        if (!balance.IsAllowed)
        {
            return HealthCheckResult.Degraded($"account '{account}' has {balance.Available} {balance.Currency} cents available: dials are refused until funds arrive", data: data);
        }

        return refused is null
            ? HealthCheckResult.Healthy($"account '{account}' has {balance.Available} {balance.Currency} cents available", data)
            : HealthCheckResult.Degraded(refused, data: data);
    }
}
