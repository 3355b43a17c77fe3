namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    /// <summary>
    /// With more calls than this awaiting their <c>Return</c>, a new call's write is held back until the work already
    /// queued on the thread pool (typically the continuations of the callers a batch of returns just resumed, each
    /// sending its next call) has run, so those calls leave in one write instead of one system call each. A lone
    /// call, or a few, is written at once: round-trip latency is not traded for it.
    /// </summary>
    private const int CoalesceAbove = 4;

    private int _flushScheduled;
    private FlushWorkItem? _flush;

    /// <summary>Corks the writer until a flush queued behind the pool's pending work runs (once per batch).</summary>
    private void CoalesceWrites()
    {
        if (Interlocked.Exchange(ref _flushScheduled, 1) == 0)
        {
            _writer.Cork();

            // To the global queue: each pool thread runs its own local queue (the resumed callers) first.
            ThreadPool.UnsafeQueueUserWorkItem(_flush ??= new FlushWorkItem(this), preferLocal: false);
        }
    }

    /// <summary>Uncorks the writer: what gathered leaves in one write. Reused, so a batch allocates nothing.</summary>
    private sealed class FlushWorkItem(ZapConnection connection) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            Volatile.Write(ref connection._flushScheduled, 0);
            connection._writer.Uncork();
        }
    }
}
