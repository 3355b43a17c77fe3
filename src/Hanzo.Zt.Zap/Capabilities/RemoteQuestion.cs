namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// A question this side asked the peer (a call or bootstrap): its id, the capabilities pipelined on its answer,
/// and the results once the <c>Return</c> arrives.
/// </summary>
/// <remarks>
/// Pooled by its connection: once the question has settled, left the question table and nothing holds or awaits
/// it, it is reset (a new <see cref="PromiseCore.Generation"/>) and asked again by a later call.
/// </remarks>
internal sealed class RemoteQuestion(ZapConnection connection) : PromiseCore
{
    private PipelineCache<PipelineHook>? _cache;
    private List<PipelineHook>? _pipelined;
    private bool _settled;
    private ResponseCore? _response;
    private Exception? _error;
    private CancellationTokenRegistration _cancellation;
    private int _unregistered;
    private int _recycled;

    public ZapConnection Connection { get; } = connection;

    public uint Id { get; set; }

    /// <summary>Export ids written into the parameters' cap table (released if the callee says <c>releaseParamCaps</c>).</summary>
    public List<uint>? ParamExports { get; set; }

    /// <summary>True once this side sent <c>Finish</c>.</summary>
    public bool FinishSent { get; set; }

    /// <summary>True once the <c>Finish</c> of a canceled question is queued to send.</summary>
    public bool FinishQueued { get; set; }

    /// <summary>True once the peer's <c>Return</c> arrived.</summary>
    public bool Returned { get; set; }

    /// <summary>Cancels the question when <paramref name="cancellationToken"/> is canceled, until it settles.</summary>
    public void CancelWith(CancellationToken cancellationToken)
    {
        var registration = cancellationToken.UnsafeRegister(static state => ((RemoteQuestion)state!).Connection.CancelQuestion((RemoteQuestion)state), this);
        lock (this)
        {
            if (!_settled)
            {
                _cancellation = registration;
                return;
            }
        }

        registration.Dispose();
    }

    public override CapHook GetPipelinedCap(ushort[] path)
    {
        lock (this)
        {
            if (_cache?.TryReuse(path) is { } known)
            {
                return known;
            }

            if (!_settled)
            {
                var hook = new PipelineHook(this, path);
                (_pipelined ??= new()).Add(hook);
                (_cache ??= new()).Add(path, hook);
                return hook;
            }

            return _response?.GetCapAt(path) ?? new BrokenHook(_error!);
        }
    }

    /// <summary>
    /// Settles the question with the peer's results or error: first every pipelined capability takes on what the
    /// results hold (sending disembargoes where needed), then awaiting callers see the result. Only the first
    /// settlement counts; a later one gives back its response.
    /// </summary>
    public void Settle(ResponseCore? response, Exception? error)
    {
        List<PipelineHook>? pipelined;
        CancellationTokenRegistration cancellation;
        lock (this)
        {
            if (_settled)
            {
                response?.Release();
                return;
            }

            _settled = true;
            _response = response;
            _error = error;
            pipelined = _pipelined;
            _pipelined = null;
            cancellation = _cancellation;
            _cancellation = default;
        }

        // No cancellation callback runs for this question after this (nor for a later use of this object).
        cancellation.Dispose();
        if (pipelined is not null)
        {
            foreach (var hook in pipelined)
            {
                // A hook already released has nothing left to resolve.
                if (hook.TryAddRef())
                {
                    hook.Settle(response, error);
                    hook.Release();
                }
            }
        }

        if (response is not null)
        {
            Complete(response);
        }
        else
        {
            Fail(error!);
        }
    }

    /// <summary>The connection ended before the <c>Return</c>.</summary>
    public void Break(Exception error) => Settle(null, error);

    /// <summary>The question left the table: its id is free, and this object may be reused once nothing holds it.</summary>
    public void MarkUnregistered()
    {
        Volatile.Write(ref _unregistered, 1);
        OnMaybeIdle();
    }

    /// <summary>Readies a pooled question for a new call (when it is taken from the pool, so a late check of the old use cannot return it twice).</summary>
    public void Reset()
    {
        ResetCore();
        _cache = null;
        _pipelined = null;
        _settled = false;
        _response = null;
        _error = null;
        ParamExports = null;
        FinishSent = false;
        FinishQueued = false;
        Returned = false;
        _unregistered = 0;
        Volatile.Write(ref _recycled, 0);
    }

    protected override void OnAbandoned() => Connection.CancelQuestion(this);

    protected override void OnReleasedAfterCompletion() => Connection.FinishIfUnused(this);

    protected override void OnMaybeIdle()
    {
        if (Volatile.Read(ref _unregistered) == 1 && IsIdle && Interlocked.CompareExchange(ref _recycled, 1, 0) == 0)
        {
            Connection.RecycleQuestion(this);
        }
    }
}
