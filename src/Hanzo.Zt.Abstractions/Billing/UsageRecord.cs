namespace Hanzo.Zt.Billing;

/// <summary>
/// The metered usage of one session, handed to the billing provider when the session closes.
/// <see cref="RequestId"/> is the idempotency key: delivering the same record twice never charges twice.
/// </summary>
public sealed record UsageRecord
{
    /// <summary>Unique id of this record; sent as the idempotency key.</summary>
    public required string RequestId { get; init; }

    /// <summary>The account charged (<c>org/name</c>).</summary>
    public required string Account { get; init; }

    /// <summary>The service the session was for (the billing <c>model</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The fabric session id.</summary>
    public required string SessionId { get; init; }

    /// <summary>The identity that dialed.</summary>
    public required string Identity { get; init; }

    /// <summary>Bytes written by the dialer.</summary>
    public long BytesSent { get; init; }

    /// <summary>Bytes read by the dialer.</summary>
    public long BytesReceived { get; init; }

    /// <summary>How long the session was open.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>ZAP calls made over the session.</summary>
    public long Calls { get; init; }

    /// <summary>The priced amount in micros (millionths of the currency unit); exact, never rounded.</summary>
    public long AmountMicros { get; init; }

    /// <summary>ISO currency code, lower case.</summary>
    public string Currency { get; init; } = "usd";

    /// <summary>When the session started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The client address, when known.</summary>
    public string? ClientIp { get; init; }

    /// <summary><c>success</c>, or the reason the session ended abnormally.</summary>
    public string Status { get; init; } = "success";
}
