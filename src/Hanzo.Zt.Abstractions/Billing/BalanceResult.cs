namespace Hanzo.Zt.Billing;

/// <summary>
/// An account's balance as the billing provider reports it, in integer cents of <see cref="Currency"/>.
/// A dial is allowed only when <see cref="Available"/> is positive: there is no free tier.
/// </summary>
/// <param name="Account">The account the balance is for (<c>org/name</c> or <c>org</c>).</param>
/// <param name="Currency">ISO currency code, lower case (e.g. <c>usd</c>).</param>
/// <param name="Balance">The settled balance.</param>
/// <param name="Holds">Amounts reserved but not yet settled.</param>
/// <param name="Available">What may be spent now: balance minus holds (or the tier-aware effective amount).</param>
public sealed record BalanceResult(string Account, string Currency, long Balance, long Holds, long Available)
{
    /// <summary>Whether a dial may proceed.</summary>
    public bool IsAllowed => Available > 0;
}
