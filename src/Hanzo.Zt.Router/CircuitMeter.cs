using Hanzo.Zt.Billing;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>
/// Meters circuits for billing: their bytes each way, the calls their host reports and their duration are priced
/// and written to the router's durable outbox (through <see cref="UsageMeter"/>), charged to the billing account in
/// the dialer's session token. Open circuits are checkpointed (<see cref="Checkpoint"/>), so a router that dies loses
/// at most what moved since the last checkpoint. What the SDKs at either end count is never used.
/// </summary>
/// <remarks>
/// Request ids are deterministic per circuit: <c>zt-circuit-{router}-{circuit}-{n}</c> for the n-th checkpoint and
/// <c>zt-circuit-{router}-{circuit}</c> for the final record, each carrying only what the records before it did
/// not, so the outbox's idempotent delivery charges every byte and call once.
/// </remarks>
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

    /// <summary>Records the rest of the circuit's usage durably (once, whatever calls this).</summary>
    public void End(CircuitUsage? usage, string status)
    {
        if (usage?.TakeFinal() is { } portion)
        {
            Write(usage, portion, status);
        }
    }

    /// <summary>
    /// Writes a checkpoint of every circuit in <paramref name="open"/> whose last record is at least
    /// <paramref name="dueAfter"/> old and that carried something billable since.
    /// </summary>
    public void Checkpoint(IEnumerable<CircuitUsage> open, TimeSpan dueAfter)
    {
        foreach (var usage in open)
        {
            bool timeIsPriced = meter.Rates.RateFor(usage.Dial.ServiceName).MicrosPerSecond > 0;
            if (usage.TakeCheckpoint(dueAfter, timeIsPriced) is { } portion)
            {
                Write(usage, portion, "checkpoint");
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

    private void Write(CircuitUsage usage, CircuitPortion portion, string status)
    {
        var record = new UsageRecord
        {
            RequestId = portion.IsCheckpoint ? $"zt-circuit-{routerId}-{usage.Id}-{portion.Sequence}" : $"zt-circuit-{routerId}-{usage.Id}",
            Account = usage.Account,
            Service = usage.Dial.ServiceName,
            SessionId = usage.Dial.SessionId,
            Identity = usage.Dial.IdentityId,
            BytesSent = portion.Sent,
            BytesReceived = portion.Received,
            Calls = portion.Calls,
            Duration = portion.Duration,
            StartedAt = usage.StartedAt,
            Status = status,
        };
        var write = WriteAsync(usage, record, portion);
        lock (_writes)
        {
            if (!write.IsCompleted)
            {
                _writes.Add(write);
                _ = write.ContinueWith(t => Forget(t), TaskScheduler.Default);
            }
        }
    }

    private void Forget(Task write)
    {
        lock (_writes)
        {
            _writes.Remove(write);
        }
    }

    private async Task WriteAsync(CircuitUsage usage, UsageRecord record, CircuitPortion portion)
    {
        try
        {
            var priced = await meter.RecordAsync(record).ConfigureAwait(false);
            long micros = priced?.AmountMicros ?? 0;
            if (portion.IsCheckpoint)
            {
                Log.Checkpointed(logger, portion.Sequence, usage.Id, record.SessionId, record.Account, record.Service, record.BytesSent, record.BytesReceived,
                    record.Calls, record.Duration.TotalSeconds, micros, portion.TotalSent, portion.TotalReceived, portion.TotalCalls);
            }
            else
            {
                Log.Metered(logger, record.SessionId, record.Account, record.Service, record.BytesSent, record.BytesReceived, record.Calls,
                    record.Duration.TotalSeconds, micros, portion.TotalSent, portion.TotalReceived, portion.TotalCalls);
            }
        }
        catch (Exception e)
        {
            Log.NotRecorded(logger, e, record.SessionId, record.Account, record.BytesSent, record.BytesReceived, record.Calls);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(50, LogLevel.Information, "metered circuit of session {Session} for billing account '{Account}' on service '{Service}': sent={Sent} received={Received} calls={Calls} seconds={Seconds:F3} micros={Micros} (circuit total: sent={TotalSent} received={TotalReceived} calls={TotalCalls})")]
        public static partial void Metered(ILogger logger, string session, string account, string service, long sent, long received, long calls, double seconds, long micros, long totalSent, long totalReceived, long totalCalls);

        [LoggerMessage(51, LogLevel.Error, "usage of session {Session} for '{Account}' (sent={Sent} received={Received} calls={Calls}) could not be written to the outbox")]
        public static partial void NotRecorded(ILogger logger, Exception exception, string session, string account, long sent, long received, long calls);

        [LoggerMessage(52, LogLevel.Warning, "session {Session} names no billing account (the controller runs without billing): its circuits are not metered")]
        public static partial void Unbilled(ILogger logger, string session);

        [LoggerMessage(53, LogLevel.Information, "checkpoint {Sequence} of open circuit {Circuit} of session {Session} for billing account '{Account}' on service '{Service}': sent={Sent} received={Received} calls={Calls} seconds={Seconds:F3} micros={Micros} (circuit so far: sent={TotalSent} received={TotalReceived} calls={TotalCalls})")]
        public static partial void Checkpointed(ILogger logger, int sequence, string circuit, string session, string account, string service, long sent, long received, long calls, double seconds, long micros, long totalSent, long totalReceived, long totalCalls);
    }
}
