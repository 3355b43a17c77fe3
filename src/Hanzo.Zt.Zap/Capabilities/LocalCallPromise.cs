using Hanzo.Zt.Zap.Pooling;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>The result of a call a local server is handling; pipelined capabilities wait for it.</summary>
/// <remarks>Pooled: reused once it has settled and nothing holds or awaits it.</remarks>
internal sealed class LocalCallPromise : PromiseCore
{
    private static readonly SmallPool<LocalCallPromise> Pool = new(256);

    private readonly object _lock = new();
    private CallState? _state;
    private CancellationTokenSource? _cancellation;
    private PipelineCache<PromiseHook>? _cache;
    private List<(ushort[] Path, PromiseHook Hook)>? _pipelined;
    private bool _done;
    private ResponseCore? _response;
    private Exception? _error;
    private int _recycled;

    private LocalCallPromise()
    {
    }

    /// <summary>A pending promise for the call <paramref name="state"/> holds; <paramref name="cancellation"/> is canceled if it is abandoned.</summary>
    public static LocalCallPromise Rent(CallState state, CancellationTokenSource? cancellation)
    {
        var promise = Pool.TryTake();
        if (promise is null)
        {
            promise = new LocalCallPromise();
        }
        else
        {
            promise.ResetCore();
            Volatile.Write(ref promise._recycled, 0);
        }

        promise._state = state;
        promise._cancellation = cancellation;
        return promise;
    }

    public override CapHook GetPipelinedCap(ushort[] path)
    {
        lock (_lock)
        {
            if (_cache?.TryReuse(path) is { } known)
            {
                return known;
            }

            if (!_done)
            {
                var hook = new PromiseHook();
                (_pipelined ??= new()).Add((path, (PromiseHook)hook.AddRef()));
                (_cache ??= new()).Add(path, hook);
                return hook;
            }

            if (_response is null)
            {
                return new BrokenHook(_error!);
            }

            // The response stays alive while the promise is: its own reference is released only with the last handle.
            return _response.GetCapAt(path);
        }
    }

    /// <summary>Settles the promise once the server is done: with its results, or with <paramref name="error"/>.</summary>
    public void Finish(Exception? error)
    {
        var state = _state!;
        _state = null;
        state.ReleaseParams();
        ResponseCore? response = null;
        if (error is null)
        {
            try
            {
                response = state.TakeResponse();
            }
            catch (Exception e)
            {
                error = e;
            }
        }

        // The server is done with the call: its context's views fail from here on.
        state.Recycle();

        List<(ushort[] Path, PromiseHook Hook)>? pipelined;
        lock (_lock)
        {
            _done = true;
            _response = response;
            _error = error;
            pipelined = _pipelined;
            _pipelined = null;
        }

        // Pipelined calls are delivered before anyone sees the result, so they keep their order.
        if (pipelined is not null)
        {
            foreach (var (path, hook) in pipelined)
            {
                hook.Resolve(response is not null ? response.GetCapAt(path) : new BrokenHook(error!));
                hook.Release();
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

    protected override void OnAbandoned()
    {
        try
        {
            _ = _cancellation?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    protected override void OnMaybeIdle()
    {
        if (IsIdle && Interlocked.CompareExchange(ref _recycled, 1, 0) == 0)
        {
            lock (_lock)
            {
                _cache = null;
                _pipelined = null;
                _done = false;
                _response = null;
                _error = null;
                _cancellation = null;
            }

            Pool.Return(this);
        }
    }
}
