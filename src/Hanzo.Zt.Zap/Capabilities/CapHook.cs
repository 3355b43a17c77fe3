namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// What a capability reference points at: a local server, a remote import, a pipelined answer, a promise or an
/// error. Reference counted: each holder owns one reference and gives it back with <see cref="Release"/>.
/// </summary>
internal abstract class CapHook
{
    private int _refs = 1;

    /// <summary>Takes another reference.</summary>
    public CapHook AddRef()
    {
        Interlocked.Increment(ref _refs);
        return this;
    }

    /// <summary>Takes another reference unless the last one is already gone.</summary>
    public bool TryAddRef()
    {
        int refs = Volatile.Read(ref _refs);
        while (refs > 0)
        {
            int seen = Interlocked.CompareExchange(ref _refs, refs + 1, refs);
            if (seen == refs)
            {
                return true;
            }

            refs = seen;
        }

        return false;
    }

    /// <summary>Gives back one reference; the last one releases what the hook holds.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0)
        {
            OnReleased();
        }
    }

    /// <summary>Sends or dispatches a call, taking ownership of <paramref name="call"/>.</summary>
    public abstract PromiseCore Call(OutgoingCall call);

    /// <summary>Where calls go now: this hook, or what a resolved promise became. Never takes a lock.</summary>
    public virtual CapHook Resolved => this;

    /// <summary>For an unresolved promise, completes (with a borrowed reference) when it resolves; otherwise null.</summary>
    public virtual Task<CapHook>? WhenResolved => null;

    /// <summary>Called once, when the last reference is released.</summary>
    protected virtual void OnReleased()
    {
    }
}
