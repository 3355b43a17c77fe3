using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Router;

/// <summary>
/// The switchboard's part in billing: the host's reports of calls served and of bytes exchanged on a direct path go
/// to its circuit's usage (a dialer's reports are ignored: the dialer is the one who pays), and open circuits are
/// checkpointed into the outbox.
/// </summary>
internal sealed partial class Switchboard
{
    private Timer? _checkpoints;

    /// <summary>A usage or direct usage frame: counted when it comes from the host's side of a spliced circuit, dropped otherwise.</summary>
    private void ReportUsage(EdgeLink from, EdgeFrame frame)
    {
        lock (_lock)
        {
            if (!_legs.TryGetValue((from, frame.Circuit), out var leg) || leg.FromDialer || leg.Usage is not { } usage)
            {
                return;
            }

            if (frame.Kind == EdgeFrameKind.Usage)
            {
                usage.ReportCalls(frame.Value);
            }
            else
            {
                usage.ReportDirect(fromDialer: frame.Sequence, toDialer: frame.Value);
            }
        }
    }

    /// <summary>
    /// Starts checkpointing open circuits every <see cref="RouterOptions.UsageCheckpointInterval"/>: the sweep runs four
    /// times per interval and writes a circuit once its last record is three quarters of an interval old, so no
    /// circuit goes longer than one interval without a record. Does nothing when metering or checkpoints are off.
    /// </summary>
    public void StartCheckpoints()
    {
        var interval = options.UsageCheckpointInterval;
        if (meter is null || interval <= TimeSpan.Zero)
        {
            return;
        }

        var sweep = interval / 4;
        var dueAfter = interval - sweep;
        lock (_lock)
        {
            _checkpoints ??= new Timer(_ => Checkpoint(dueAfter), null, sweep, sweep);
        }
    }

    private void Checkpoint(TimeSpan dueAfter)
    {
        List<CircuitUsage> open;
        lock (_lock)
        {
            // Both legs share the usage: the dialer's leg names each circuit once.
            open = [.. _legs.Values.Where(l => l.FromDialer && l.Usage is not null).Select(l => l.Usage!)];
        }

        meter?.Checkpoint(open, dueAfter);
    }

    /// <summary>
    /// Stops checkpointing, once a checkpoint under way has handed its records to the outbox (circuits still open are
    /// recorded as they end).
    /// </summary>
    public async ValueTask StopCheckpointsAsync()
    {
        Timer? timer;
        lock (_lock)
        {
            (timer, _checkpoints) = (_checkpoints, null);
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
