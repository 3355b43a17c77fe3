using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Billing.Commerce;

/// <summary>
/// How to reach Hanzo Commerce. Bound from the environment names Hanzo's metering clients use
/// (<c>COMMERCE_URL</c>, <c>COMMERCE_SERVICE_TOKEN</c>, <c>COMMERCE_SERVICE_ORG</c>, <c>METERING_TIER_AWARE</c>,
/// <c>METERING_FAIL_OPEN</c>, <c>METERING_TEST</c>), then from the <see cref="SectionName"/> configuration section.
/// </summary>
public sealed class CommerceBillingOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "HanzoZt:Billing:Commerce";

    /// <summary>The Hanzo Commerce API used unless <see cref="BaseUrl"/> says otherwise.</summary>
    public const string DefaultBaseUrl = "https://api.hanzo.ai/commerce";

    /// <summary>The Commerce base URL (<c>COMMERCE_URL</c>); when unset, <see cref="DefaultBaseUrl"/>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The admin-scoped service token sent as <c>Authorization: Bearer</c> (<c>COMMERCE_SERVICE_TOKEN</c>). A secret.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>The org sent as <c>X-Org-Id</c> for accounts without an <c>org/</c> prefix (<c>COMMERCE_SERVICE_ORG</c>, default <c>hanzo</c>).</summary>
    public string Org { get; set; } = "hanzo";

    /// <summary>Gate on the tier-aware effective balance (<c>GET /v1/billing/tier</c>) rather than prepaid funds (<c>METERING_TIER_AWARE</c>).</summary>
    public bool TierAware { get; set; }

    /// <summary>Allow dials when Commerce cannot be reached (<c>METERING_FAIL_OPEN</c>); applied to <c>HanzoZt:Billing:FailOpen</c>.</summary>
    public bool FailOpen { get; set; }

    /// <summary>Use the sandbox ledger: every request carries <c>X-Hanzo-Test: true</c> (<c>METERING_TEST</c>).</summary>
    public bool Test { get; set; }

    /// <summary>The <c>provider</c> usage is recorded under.</summary>
    public string Provider { get; set; } = "zt";

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for a call including its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a 5xx, 408, 429, timeout or network failure (never after another 4xx).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads the metering environment variables that are set (an empty value counts as unset).</summary>
    /// <param name="getVariable">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    public CommerceBillingOptions ApplyEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getVariable(name)?.Trim() is { Length: > 0 } value ? value : null;
        bool? Flag(string name) => Read(name) is { } value ? value.ToLowerInvariant() is "true" or "1" or "yes" : null;

        BaseUrl = Read("COMMERCE_URL") ?? BaseUrl;
        ServiceToken = Read("COMMERCE_SERVICE_TOKEN") ?? ServiceToken;
        Org = Read("COMMERCE_SERVICE_ORG") ?? Org;
        TierAware = Flag("METERING_TIER_AWARE") ?? TierAware;
        FailOpen = Flag("METERING_FAIL_OPEN") ?? FailOpen;
        Test = Flag("METERING_TEST") ?? Test;
        return this;
    }

    /// <summary>A description safe to log: the token is masked.</summary>
    public override string ToString() =>
        $"Commerce {BaseUrl ?? "(default URL)"} org={Org} token={SecretMask.Mask(ServiceToken)} tierAware={TierAware} failOpen={FailOpen} test={Test}";
}
