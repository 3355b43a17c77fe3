namespace Hanzo.Zt.Zap.Transports;

/// <summary>
/// How many connections may read on a thread of their own at once (see <see cref="DirectReceiveStream"/>); a
/// connection that finds the budget spent reads through the thread pool instead, and says so: an idle connection's
/// thread gives its slot back only when another connection wants one (<see cref="TryClaimDemand"/>).
/// </summary>
internal sealed class ReceiveThreadBudget(int limit)
{
    private int _inUse;
    private int _wanted;

    /// <summary>The budget every <see cref="TcpTransport"/> shares unless given its own: four threads per core.</summary>
    public static ReceiveThreadBudget Shared { get; } = new(TcpTransport.DefaultReceiveThreads);

    public int Limit { get; } = limit;

    public int InUse => Volatile.Read(ref _inUse);

    public bool TryTake()
    {
        while (true)
        {
            int inUse = Volatile.Read(ref _inUse);
            if (inUse >= Limit)
            {
                // A connection reading without a thread asks again on each read, so the demand stays fresh while it lasts.
                Volatile.Write(ref _wanted, 1);
                return false;
            }

            if (Interlocked.CompareExchange(ref _inUse, inUse + 1, inUse) == inUse)
            {
                Volatile.Write(ref _wanted, 0);
                return true;
            }
        }
    }

    /// <summary>
    /// True for one caller when a connection was refused a thread since the last slot was taken: that caller (an
    /// idle connection's thread) gives its slot up, and any other idle thread keeps its own.
    /// </summary>
    public bool TryClaimDemand() => Volatile.Read(ref _wanted) != 0 && Interlocked.Exchange(ref _wanted, 0) != 0;

    public void Release() => Interlocked.Decrement(ref _inUse);
}
