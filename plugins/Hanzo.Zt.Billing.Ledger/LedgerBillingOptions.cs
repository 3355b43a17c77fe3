namespace Hanzo.Zt.Billing.Ledger;

/// <summary>Where the embedded ledger keeps its journal (configuration section <see cref="SectionName"/>).</summary>
public sealed class LedgerBillingOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "HanzoZt:Billing:Ledger";

    /// <summary>The directory holding <c>ledger.db</c>; created when missing.</summary>
    public string? DataDirectory { get; set; }
}
