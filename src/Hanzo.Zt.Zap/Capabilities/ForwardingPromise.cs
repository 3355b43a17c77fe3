namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// The result of a call that waits (in a promise's queue) before it is sent: it later takes on the result of the
/// real call, and capabilities pipelined on it follow.
/// </summary>
internal sealed class ForwardingPromise : PromiseCore
{
    private readonly object _lock = new();
    private readonly PipelineCache<PromiseHook> _cache = new();
    private List<(ushort[] Path, PromiseHook Hook)>? _pipelined;
    private PromiseCore? _inner;
    private volatile bool _abandoned;
    private int _innerReleased;

    public bool IsAbandoned => _abandoned;

    /// <summary>Takes on the result of <paramref name="inner"/> (owning its handle).</summary>
    public void Forward(PromiseCore inner)
    {
        List<(ushort[] Path, PromiseHook Hook)>? pipelined;
        lock (_lock)
        {
            _inner = inner;
            pipelined = _pipelined;
            _pipelined = null;
        }

        if (pipelined is not null)
        {
            foreach (var (path, hook) in pipelined)
            {
                hook.Resolve(inner.GetPipelinedCap(path));
                hook.Release();
            }
        }

        _ = FollowAsync(inner);
    }

    public override CapHook GetPipelinedCap(ushort[] path)
    {
        lock (_lock)
        {
            if (_cache.TryReuse(path) is { } known)
            {
                return known;
            }

            if (_inner is null)
            {
                var hook = new PromiseHook();
                (_pipelined ??= new()).Add((path, (PromiseHook)hook.AddRef()));
                _cache.Add(path, hook);
                return hook;
            }
        }

        return _inner.GetPipelinedCap(path);
    }

    protected override void OnAbandoned()
    {
        _abandoned = true;
        PromiseCore? inner;
        lock (_lock)
        {
            inner = _inner;
        }

        if (inner is not null)
        {
            ReleaseInner(inner);
        }
    }

    private void ReleaseInner(PromiseCore inner)
    {
        if (Interlocked.Exchange(ref _innerReleased, 1) == 0)
        {
            inner.ReleaseHandle();
        }
    }

    private async Task FollowAsync(PromiseCore inner)
    {
        try
        {
            var response = await inner.Task.ConfigureAwait(false);
            Complete(response.AddRef());
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            ReleaseInner(inner);
        }
    }
}
