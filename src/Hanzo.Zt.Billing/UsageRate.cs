namespace Hanzo.Zt.Billing;

/// <summary>
/// The price of a session's usage, in micros (millionths of the currency unit). A GB is 10^9 bytes.
/// </summary>
public sealed class UsageRate
{
    /// <summary>Micros per GB the dialer sent.</summary>
    public long MicrosPerGBSent { get; set; }

    /// <summary>Micros per GB the dialer received.</summary>
    public long MicrosPerGBReceived { get; set; }

    /// <summary>Micros per second the session was open.</summary>
    public long MicrosPerSecond { get; set; }

    /// <summary>Micros per ZAP call made over the session.</summary>
    public long MicrosPerCall { get; set; }
}

/// <summary>
/// The rate card bound from <c>HanzoZt:Billing:Rates</c>: a default rate, and whole-rate overrides per service
/// (a service listed under <see cref="Services"/> uses that rate for every dimension).
/// </summary>
public sealed class RateCardOptions
{
    /// <summary>
    /// The rate for services without an override: 0.001 per ZAP call (a tenth of a cent, so a demo of ten calls
    /// costs one cent) and 0.05 per GB each way; nothing per second, so an idle connection costs nothing.
    /// </summary>
    public UsageRate Default { get; set; } = new() { MicrosPerCall = 1_000, MicrosPerGBSent = 50_000, MicrosPerGBReceived = 50_000 };

    /// <summary>Per-service rates, by service name (case-insensitive).</summary>
    public Dictionary<string, UsageRate> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
