namespace Hanzo.Zt.Zap.Transports;

/// <summary>
/// Keeps a connection reading while its receiving thread runs a caller that blocks or runs long: every
/// <see cref="Period"/>, a stream whose thread has run callers for longer than <see cref="Limit"/> while its
/// connection waits for its next read gets a new thread for that read (<see cref="DirectReceiveStream.RescueIfStuck"/>).
/// A caller that waits synchronously on another call of its own connection is answered that way instead of
/// deadlocking.
/// </summary>
/// <remarks>
/// One thread for the process, which sleeps for good once no stream has run callers for a second and is woken by
/// the next that does.
/// </remarks>
internal static class ResumeWatchdog
{
    /// <summary>How often the watchdog looks.</summary>
    internal static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

    /// <summary>How long a thread may run callers while its connection waits for a read before the read moves.</summary>
    internal static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(20);

    private const long IdleMillis = 1_000;

    private static readonly object s_gate = new();
    private static readonly List<DirectReceiveStream> s_streams = [];
    private static DirectReceiveStream[] s_snapshot = [];
    private static bool s_started;
    private static volatile bool s_sleeping;

    /// <summary>Watches <paramref name="stream"/> (once; a disposed stream is dropped) and wakes the watchdog if it sleeps.</summary>
    public static void Watch(DirectReceiveStream stream)
    {
        if (!stream.Watched)
        {
            lock (s_gate)
            {
                if (!stream.Watched)
                {
                    stream.Watched = true;
                    s_streams.Add(stream);
                    s_snapshot = [.. s_streams];
                }

                StartOrWake();
            }
        }
        else
        {
            // Against the watchdog going to sleep meanwhile: it sets s_sleeping, then looks at the streams again.
            Interlocked.MemoryBarrier();
            if (s_sleeping)
            {
                lock (s_gate)
                {
                    StartOrWake();
                }
            }
        }
    }

    private static void StartOrWake()
    {
        if (!s_started)
        {
            s_started = true;
            new Thread(Run) { IsBackground = true, Name = "ZAP resume watchdog" }.UnsafeStart();
        }
        else if (s_sleeping)
        {
            s_sleeping = false;
            Monitor.Pulse(s_gate);
        }
    }

    private static void Run()
    {
        while (true)
        {
            Thread.Sleep(Period);
            long now = Environment.TickCount64;
            long stuckSince = now - (long)Limit.TotalMilliseconds;
            bool active = false, dropped = false;
            foreach (var stream in Volatile.Read(ref s_snapshot))
            {
                if (stream.IsDisposed)
                {
                    dropped = true;
                    continue;
                }

                stream.RescueIfStuck(stuckSince);
                active |= stream.RanCallersSince(now - IdleMillis);
            }

            lock (s_gate)
            {
                if (dropped)
                {
                    s_streams.RemoveAll(static s => s.IsDisposed);
                    s_snapshot = [.. s_streams];
                }

                if (!active)
                {
                    s_sleeping = true;
                    Interlocked.MemoryBarrier();
                    if (Array.Exists(s_snapshot, s => s.RanCallersSince(now - IdleMillis)))
                    {
                        s_sleeping = false; // a stream began running callers as the watchdog was about to sleep
                    }

                    while (s_sleeping)
                    {
                        Monitor.Wait(s_gate);
                    }
                }
            }
        }
    }
}
