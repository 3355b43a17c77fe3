namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>An entry of the answer table: a question the peer asked this side, until its <c>Return</c> and <c>Finish</c> have both passed.</summary>
/// <remarks>Pooled by its connection: reused for a later question once retired.</remarks>
internal sealed class Answer
{
    private PromiseCore? _promise;
    private int _released;

    public uint Id { get; private set; }

    /// <summary>Readies a new or pooled answer for question <paramref name="id"/>.</summary>
    public void Reset(uint id)
    {
        Id = id;
        _promise = null;
        _released = 0;
        Returning = false;
        ReturnSent = false;
        ReleaseResultCaps = false;
        FinishReceived = false;
        ResultExports = null;
    }

    /// <summary>The pending result; pipelined calls on the answer go through it.</summary>
    public PromiseCore? Promise
    {
        get => Volatile.Read(ref _promise);
        set => Volatile.Write(ref _promise, value);
    }

    public CancellationTokenSource? Cancellation { get; set; }

    /// <summary>The <c>Return</c> is written and about to be sent (or sent): a <c>Finish</c> no longer cancels the call.</summary>
    public bool Returning { get; set; }

    /// <summary>The send of the <c>Return</c> is over (sent or failed): whoever sees both this and the <c>Finish</c> retires the answer.</summary>
    public bool ReturnSent { get; set; }

    /// <summary>What the caller's <c>Finish</c> asked for the capabilities in the results.</summary>
    public bool ReleaseResultCaps { get; set; }

    public bool FinishReceived { get; set; }

    /// <summary>Export ids written into the results' cap table (released if the caller says <c>releaseResultCaps</c>).</summary>
    public List<uint>? ResultExports { get; set; }

    /// <summary>The caller sent <c>Finish</c> before the results: tell the server.</summary>
    public void Cancel()
    {
        // Asynchronously: the server's cancellation callbacks must not run on the connection's read loop.
        try
        {
            _ = Cancellation?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The answer leaves the table: its result is no longer needed here. False when it had already retired.</summary>
    public bool Retire()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return false;
        }

        Promise?.ReleaseHandle();
        Promise = null;
        if (Cancellation is { } cancellation && !cancellation.TryReset())
        {
            // Canceled: a source can be reused only while it never was.
            cancellation.Dispose();
            Cancellation = null;
        }

        return true;
    }

    /// <summary>The connection ended: cancel the call if it is running and let go of it.</summary>
    public void Abandon()
    {
        Cancel();
        Retire();
    }

    /// <summary>The cancellation source handed to the server for this call (reused from an earlier call when it was never canceled).</summary>
    public CancellationTokenSource RentCancellation() => Cancellation ??= new CancellationTokenSource();
}

/// <summary>An entry of the export table: a local capability the peer holds, with how many times it was sent.</summary>
internal sealed class Export(CapHook hook)
{
    public CapHook Hook { get; } = hook;

    public uint Refs { get; set; } = 1;
}

/// <summary>An embargo this side set: calls wait on <see cref="Gate"/> until the peer echoes the disembargo.</summary>
internal sealed record Embargo(PromiseHook Gate, CapHook Resolution);
