using Hanzo.Zt.Billing;
using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Billing;

/// <summary>
/// The balance check of a Dial session, against the billing account the controller holds for the identity
/// (never one the client names). Answers come from <see cref="BillingGate"/>, which caches them per account
/// (refusals too) for its cache duration: an API session that keeps asking is answered from the cache, told
/// when to ask again (<c>Retry-After</c>), and never reaches the provider more than once per period.
/// </summary>
internal static class DialBalanceCheck
{
    /// <summary>Returns the account to bill (null when the controller runs without billing) or refuses with 402 or 503.</summary>
    public static async Task<string?> EnsureAllowedAsync(ControllerState state, IdentityRecord identity, CancellationToken cancellationToken)
    {
        if (state.Options.BillingGate is not { } gate) return identity.BillingAccount;
        var account = identity.BillingAccount
            ?? throw new ApiException(402, "NO_BILLING_ACCOUNT",
                $"identity '{identity.Name}' has no billing account, so it cannot dial; an administrator sets its billingAccount (org/name) in the management API",
                new { identity = identity.Name });
        try
        {
            await gate.EnsureAllowedAsync(account, cancellationToken);
            return account;
        }
        catch (ZtInsufficientBalanceException e)
        {
            throw new ApiException(402, "INSUFFICIENT_BALANCE",
                $"billing account '{account}' has no positive balance (available {e.AvailableCents} {e.Currency} cents); add funds to dial",
                new { account, available = e.AvailableCents, currency = e.Currency })
            {
                RetryAfter = gate.CacheDuration,
            };
        }
        catch (ZtBillingException e)
        {
            throw new ApiException(503, "BILLING_UNAVAILABLE",
                $"the balance of billing account '{account}' could not be checked and billing fails closed: {e.Message}",
                new { account })
            {
                RetryAfter = gate.CacheDuration,
            };
        }
    }
}
