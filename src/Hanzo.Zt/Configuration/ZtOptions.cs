using Hanzo.Zt.Billing;

namespace Hanzo.Zt.Configuration;

/// <summary>
/// Options bound from the <c>HanzoZt</c> configuration section by <c>AddHanzoZt()</c> and validated at
/// start. For configuration built by hand, use <see cref="ZtConfig.CreateBuilder"/>.
/// </summary>
public sealed class ZtOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "HanzoZt";

    /// <summary>The controller's base URL, e.g. <c>https://ctrl.example.com:1280</c>.</summary>
    public string? ControllerUrl { get; set; }

    /// <summary>
    /// The controllers of a cluster (<c>HanzoZt:ControllerUrls</c>), tried in order: requests move to the next when one
    /// cannot be reached. When set, <see cref="ControllerUrl"/> is not needed.
    /// </summary>
    public IList<string> ControllerUrls { get; set; } = [];

    /// <summary>
    /// An API key to authenticate with. When unset, credentials resolve as every Hanzo SDK resolves them:
    /// <c>HANZO_API_KEY</c>, then <c>$HOME/.hanzo/auth.json</c>.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Path of an identity file (<c>ztAPI</c>, <c>id:{key, cert, ca}</c>), when this process has an x509 identity.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>How long to wait for a connection (controller, router, peer) to open.</summary>
    public TimeSpan ConnectTimeout { get; set; } = ZtDefaults.ConnectTimeout;

    /// <summary>How long to wait for a controller request to complete.</summary>
    public TimeSpan RequestTimeout { get; set; } = ZtDefaults.RequestTimeout;

    /// <summary>Billing gate and metering.</summary>
    public ZtBillingOptions Billing { get; set; } = new();
}

/// <summary>Billing settings: the balance gate before every dial and the usage recorded after it.</summary>
public sealed class ZtBillingOptions
{
    /// <summary>Whether dials are gated on balance and sessions metered. On by default: there is no free tier.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Hanzo Commerce API base URL.</summary>
    public string CommerceUrl { get; set; } = ZtDefaults.CommerceUrl;

    /// <summary>The currency balances are checked and usage is charged in.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>How long a balance answer is reused before asking the provider again.</summary>
    public TimeSpan BalanceCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether dials are allowed when the billing provider cannot be reached. Off by default: billing fails
    /// closed. (<c>METERING_FAIL_OPEN</c> turns it on where the Commerce provider is configured from the environment.)
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>
    /// The SQLite file of the durable usage outbox. When unset, <c>usage-outbox.db</c> under the local
    /// application data folder (<c>~/.local/share/hanzo/zt</c> on Linux).
    /// </summary>
    public string? OutboxPath { get; set; }

    /// <summary>How often the outbox is swept for usage to deliver when nothing new was enqueued.</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first retry delay after a failed delivery; doubles on every further failure.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two delivery attempts of the same usage.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The prices of bytes, time and calls (configuration section <c>HanzoZt:Billing:Rates</c>).</summary>
    public RateCardOptions Rates { get; set; } = new();
}
