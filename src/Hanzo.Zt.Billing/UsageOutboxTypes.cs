namespace Hanzo.Zt.Billing;

/// <summary>What one delivery pass of the <see cref="UsageOutbox"/> did.</summary>
/// <param name="Delivered">Deliveries the provider accepted (or replayed).</param>
/// <param name="Retrying">Deliveries that failed and are scheduled again with backoff.</param>
/// <param name="Poisoned">Deliveries the provider refused for good, now kept aside.</param>
public readonly record struct UsageDeliveryReport(int Delivered, int Retrying, int Poisoned);

/// <summary>
/// A delivery the provider refused with a permanent error (a 4xx other than 408/409/429). It stays in the
/// outbox, with the reason, until an operator requeues it.
/// </summary>
/// <param name="Id">The delivery's id in the outbox.</param>
/// <param name="RequestId">The idempotency key it was posted with.</param>
/// <param name="Account">The account charged.</param>
/// <param name="Currency">The currency.</param>
/// <param name="Service">The service (billing model).</param>
/// <param name="Cents">The whole cents it charges.</param>
/// <param name="RecordCount">How many metered sessions it sums.</param>
/// <param name="Attempts">How many times it was posted.</param>
/// <param name="Reason">Why the provider refused it.</param>
public sealed record PoisonedUsage(long Id, string RequestId, string Account, string Currency, string Service, long Cents, int RecordCount, int Attempts, string Reason);

/// <summary>Counts of what the outbox holds.</summary>
/// <param name="UnsealedRecords">Metered records not yet folded into a delivery or a carry.</param>
/// <param name="PendingDeliveries">Deliveries waiting for (another) attempt.</param>
/// <param name="DeliveredDeliveries">Deliveries the provider accepted.</param>
/// <param name="PoisonedDeliveries">Deliveries kept aside after a permanent refusal.</param>
/// <param name="DeliveredCents">Cents accepted by the provider.</param>
/// <param name="CarriedMicros">Sub-cent micros carried over to the next delivery, over every account.</param>
public sealed record UsageOutboxStatus(long UnsealedRecords, long PendingDeliveries, long DeliveredDeliveries, long PoisonedDeliveries, long DeliveredCents, long CarriedMicros);
