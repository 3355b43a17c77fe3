using System.Diagnostics.Metrics;
using Hanzo.Zt.Diagnostics;

namespace Hanzo.Zt.Billing;

/// <summary>The balance gate's decisions, counted in <see cref="ZtDiagnostics.BillingDecisions"/>.</summary>
internal static class BillingMetrics
{
    public const string Allowed = "allowed";
    public const string InsufficientBalance = "insufficient_balance";
    public const string ProviderFailed = "provider_failed";
    public const string FailOpen = "fail_open";

    private static readonly Counter<long> Decisions = ZtDiagnostics.Meter.CreateCounter<long>(ZtDiagnostics.BillingDecisions, "{decision}", "Balance gate decisions");

    public static void Decided(string decision) => Decisions.Add(1, new KeyValuePair<string, object?>("zt.decision", decision));
}
