namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// A question this side asked the peer (a call or bootstrap): its id, the capabilities pipelined on its answer,
/// and the results once the <c>Return</c> arrives.
/// </summary>
internal sealed class RemoteQuestion(ZapConnection connection) : PromiseCore
{
    private PipelineCache<PipelineHook>? _cache;
    private List<PipelineHook>? _pipelined;
    private bool _settled;
    private ResponseCore? _response;
    private Exception? _error;

    public ZapConnection Connection { get; } = connection;

    public uint Id { get; set; }

    /// <summary>Export ids written into the parameters' cap table (released if the callee says <c>releaseParamCaps</c>).</summary>
    public List<uint>? ParamExports { get; set; }

    /// <summary>True once this side sent <c>Finish</c>.</summary>
    public bool FinishSent { get; set; }

    /// <summary>True once the peer's <c>Return</c> arrived.</summary>
    public bool Returned { get; set; }

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
    /// results hold (sending disembargoes where needed), then awaiting callers see the result.
    /// </summary>
    public void Settle(ResponseCore? response, Exception? error)
    {
        List<PipelineHook>? pipelined;
        lock (this)
        {
            _settled = true;
            _response = response;
            _error = error;
            pipelined = _pipelined;
            _pipelined = null;
        }

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

    protected override void OnAbandoned() => Connection.CancelQuestion(this);

    protected override void OnReleasedAfterCompletion() => Connection.FinishIfUnused(this);
}
