using System.Diagnostics;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Router;

/// <summary>
/// What one circuit carried since it was spliced: bytes each way as the router relays them, plus those the host reports
/// having exchanged with the dialer on a direct path (which the router never sees), and the calls the host reports
/// having served. Usage is written in portions (checkpoints while the circuit is open, then a
/// final one), each carrying only what the ones before it did not, so their sum is the circuit's usage.
/// </summary>
internal sealed class CircuitUsage(SessionTokenClaims dial, string account)
{
    private readonly object _gate = new();
    private long _sent;
    private long _received;
    private long _calls;
    private long _directSent;
    private long _directReceived;
    private long _recordedSent;
    private long _recordedReceived;
    private long _recordedCalls;
    private long _recordedAt = Stopwatch.GetTimestamp();
    private int _checkpoints;
    private bool _ended;

    /// <summary>The dialer's session, as its token says.</summary>
    public SessionTokenClaims Dial { get; } = dial;

    /// <summary>The billing account charged: the one the controller signed into the token.</summary>
    public string Account { get; } = account;

    /// <summary>Unique per circuit, so every circuit's records have their own request ids.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Bytes from the dialer to the host, relayed or direct.</summary>
    public long BytesSent => Interlocked.Read(ref _sent) + Interlocked.Read(ref _directSent);

    /// <summary>Bytes from the host to the dialer, relayed or direct.</summary>
    public long BytesReceived => Interlocked.Read(ref _received) + Interlocked.Read(ref _directReceived);

    /// <summary>Calls the host reported having served.</summary>
    public long Calls => Interlocked.Read(ref _calls);

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

    /// <summary>The host's running total of calls served: only ever raises the count (a late or repeated report changes nothing).</summary>
    public void ReportCalls(ulong total) => Raise(ref _calls, total);

    /// <summary>The host's running totals of bytes exchanged on a direct path: like calls, they only ever rise.</summary>
    public void ReportDirect(ulong fromDialer, ulong toDialer)
    {
        Raise(ref _directSent, fromDialer);
        Raise(ref _directReceived, toDialer);
    }

    private static void Raise(ref long counter, ulong total)
    {
        long value = (long)Math.Min(total, long.MaxValue);
        long seen = Interlocked.Read(ref counter);
        while (value > seen)
        {
            long before = Interlocked.CompareExchange(ref counter, value, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    /// <summary>
    /// The circuit's last portion, once: what it carried since its last checkpoint. Null when it was already taken.
    /// </summary>
    public CircuitPortion? TakeFinal()
    {
        lock (_gate)
        {
            if (_ended)
            {
                return null;
            }

            _ended = true;
            return TakeLocked(sequence: 0);
        }
    }

    /// <summary>
    /// A checkpoint: what the circuit carried since its last record, when that record is at least
    /// <paramref name="dueAfter"/> old and something billable happened since (bytes or calls, or any time at all when
    /// <paramref name="timeIsPriced"/>). Null otherwise, or once the circuit has ended.
    /// </summary>
    public CircuitPortion? TakeCheckpoint(TimeSpan dueAfter, bool timeIsPriced)
    {
        lock (_gate)
        {
            if (_ended || Stopwatch.GetElapsedTime(_recordedAt) < dueAfter)
            {
                return null;
            }

            bool moved = BytesSent != _recordedSent || BytesReceived != _recordedReceived || Calls != _recordedCalls;
            return moved || timeIsPriced ? TakeLocked(++_checkpoints) : null;
        }
    }

    private CircuitPortion TakeLocked(int sequence)
    {
        long now = Stopwatch.GetTimestamp();
        long sent = BytesSent, received = BytesReceived, calls = Calls;
        var portion = new CircuitPortion(sequence, sent - _recordedSent, received - _recordedReceived, calls - _recordedCalls,
            Stopwatch.GetElapsedTime(_recordedAt, now), sent, received, calls);
        (_recordedSent, _recordedReceived, _recordedCalls, _recordedAt) = (sent, received, calls, now);
        return portion;
    }
}

/// <summary>
/// One usage record's share of a circuit: its own bytes, calls and time (what it charges), and the circuit's totals
/// so far. <paramref name="Sequence"/> is the checkpoint's number, or 0 for the final portion.
/// </summary>
internal sealed record CircuitPortion(int Sequence, long Sent, long Received, long Calls, TimeSpan Duration, long TotalSent, long TotalReceived, long TotalCalls)
{
    public bool IsCheckpoint => Sequence > 0;
}
