using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing;

/// <summary>
/// What the fabric calls when a connection closes: prices the session with the <see cref="RateCard"/> and
/// writes it to the durable <see cref="UsageOutbox"/> before returning.
/// </summary>
public sealed class UsageMeter(RateCard rates, UsageOutbox outbox, IOptions<ZtBillingOptions> options)
{
    private readonly ZtBillingOptions _billing = options.Value;

    /// <summary>The rate card usage is priced with.</summary>
    public RateCard Rates => rates;

    /// <summary>
    /// Prices <paramref name="session"/> (its <see cref="UsageRecord.AmountMicros"/> is replaced by the rate
    /// card's price) and enqueues it durably. Does nothing when billing is off.
    /// </summary>
    /// <returns>The record as enqueued (with its amount), or null when billing is off.</returns>
    public async ValueTask<UsageRecord?> RecordAsync(UsageRecord session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!_billing.Enabled) return null;
        var priced = session with { AmountMicros = rates.PriceMicros(session) };
        await outbox.EnqueueAsync(priced, cancellationToken).ConfigureAwait(false);
        return priced;
    }

    /// <summary>A request id for a session: stable per session id, so a second close of it is not charged twice.</summary>
    public static string RequestIdFor(string sessionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return "zt-session-" + sessionId;
    }
}
