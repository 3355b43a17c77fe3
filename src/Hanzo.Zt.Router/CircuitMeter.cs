using System.Diagnostics;
using Hanzo.Zt.Billing;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>The bytes one circuit carried each way since it was spliced, counted by the router as it relays them.</summary>
internal sealed class CircuitUsage(SessionTokenClaims dial, string account)
{
    private long _sent;
    private long _received;
    private int _ended;

    /// <summary>The dialer's session, as its token says.</summary>
    public SessionTokenClaims Dial { get; } = dial;

    /// <summary>The billing account charged: the one the controller signed into the token.</summary>
    public string Account { get; } = account;

    /// <summary>Unique per circuit, so every circuit is its own usage record.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public long StartTimestamp { get; } = Stopwatch.GetTimestamp();

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Bytes from the dialer to the host.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Bytes from the host to the dialer.</summary>
    public long BytesReceived => Interlocked.Read(ref _received);

    public void Add(bool fromDialer, int bytes)
    {
        if (fromDialer)
        {
            Interlocked.Add(ref _sent, bytes);
        }
        else
        {
            Interlocked.Add(ref _received, bytes);
        }
    }

    /// <summary>True the first time only: a circuit is recorded once however it ends.</summary>
    public bool TryEnd() => Interlocked.Exchange(ref _ended, 1) == 0;
}

/// <summary>
/// Meters circuits for billing: when a circuit ends, its bytes each way and its duration are priced and written
/// to the router's durable outbox (through <see cref="UsageMeter"/>), charged to the billing account in the
/// dialer's session token. What the SDKs at either end count is never used.
/// </summary>
internal sealed partial class CircuitMeter(UsageMeter meter, string routerId, ILogger logger)
{
    private readonly HashSet<Task> _writes = [];
    private int _unbilledWarned;

    /// <summary>Starts counting a spliced circuit; null (not metered) when the token names no billing account.</summary>
    public CircuitUsage? Start(SessionTokenClaims dial)
    {
        if (dial.BillingAccount is { } account)
        {
            return new CircuitUsage(dial, account);
        }

        if (Interlocked.Exchange(ref _unbilledWarned, 1) == 0)
        {
            Log.Unbilled(logger, dial.SessionId);
        }

        return null;
    }

    /// <summary>Records the circuit's usage durably (once, whatever calls this).</summary>
    public void End(CircuitUsage? usage, string status)
    {
        if (usage is null || !usage.TryEnd())
        {
            return;
        }

        var record = new UsageRecord
        {
            RequestId = $"zt-circuit-{routerId}-{usage.Id}",
            Account = usage.Account,
            Service = usage.Dial.ServiceName,
            SessionId = usage.Dial.SessionId,
            Identity = usage.Dial.IdentityId,
            BytesSent = usage.BytesSent,
            BytesReceived = usage.BytesReceived,
            Duration = Stopwatch.GetElapsedTime(usage.StartTimestamp),
            StartedAt = usage.StartedAt,
            Status = status,
        };
        var write = WriteAsync(record);
        lock (_writes)
        {
            if (!write.IsCompleted)
            {
                _writes.Add(write);
                _ = write.ContinueWith(t => Forget(t), TaskScheduler.Default);
            }
        }
    }

    /// <summary>Waits for every usage record handed over so far to be in the outbox.</summary>
    public Task DrainAsync()
    {
        lock (_writes)
        {
            return Task.WhenAll(_writes);
        }
    }

    private void Forget(Task write)
    {
        lock (_writes)
        {
            _writes.Remove(write);
        }
    }

    private async Task WriteAsync(UsageRecord record)
    {
        try
        {
            var priced = await meter.RecordAsync(record).ConfigureAwait(false);
            Log.Metered(logger, record.SessionId, record.Account, record.Service, record.BytesSent, record.BytesReceived,
                record.Duration.TotalSeconds, priced?.AmountMicros ?? 0);
        }
        catch (Exception e)
        {
            Log.NotRecorded(logger, e, record.SessionId, record.Account, record.BytesSent, record.BytesReceived);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(50, LogLevel.Information, "metered circuit of session {Session} for billing account '{Account}' on service '{Service}': sent={Sent} received={Received} seconds={Seconds:F3} micros={Micros}")]
        public static partial void Metered(ILogger logger, string session, string account, string service, long sent, long received, double seconds, long micros);

        [LoggerMessage(51, LogLevel.Error, "usage of session {Session} for '{Account}' (sent={Sent} received={Received}) could not be written to the outbox")]
        public static partial void NotRecorded(ILogger logger, Exception exception, string session, string account, long sent, long received);

        [LoggerMessage(52, LogLevel.Warning, "session {Session} names no billing account (the controller runs without billing): its circuits are not metered")]
        public static partial void Unbilled(ILogger logger, string session);
    }
}
