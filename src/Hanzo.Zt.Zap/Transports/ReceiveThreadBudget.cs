namespace Hanzo.Zt.Zap.Transports;

/// <summary>
/// How many connections may read on a thread of their own at once (see <see cref="DirectReceiveStream"/>); a
/// connection that finds the budget spent reads through the thread pool instead.
/// </summary>
internal sealed class ReceiveThreadBudget(int limit)
{
    private int _inUse;

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
                return false;
            }

            if (Interlocked.CompareExchange(ref _inUse, inUse + 1, inUse) == inUse)
            {
                return true;
            }
        }
    }

    public void Release() => Interlocked.Decrement(ref _inUse);
}
