namespace Hanzo.Zt.Billing;

/// <summary>Billing settings: the balance gate before every dial and the usage recorded after it.</summary>
public sealed class ZtBillingOptions
{
    /// <summary>The configuration section the billing options bind from.</summary>
    public const string SectionName = "HanzoZt:Billing";

    /// <summary>Whether dials are gated on balance and sessions metered. On by default: there is no free tier.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The account usage is charged to and whose balance gates dials (<c>org/name</c>). When unset, the identity's
    /// name as the controller knows it.
    /// </summary>
    public string? Account { get; set; }

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
    /// The SQLite file of the durable usage outbox. When unset, one file per application and billing provider:
    /// <c>hanzo/zt/&lt;application&gt;/&lt;provider&gt;/usage-outbox.db</c> under the local application data folder
    /// (<c>~/.local/share</c> on Linux), so records of one ledger are never delivered to another.
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
