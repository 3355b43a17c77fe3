namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// A capability that is not known yet. Calls made before it resolves wait in order and are delivered, still in
/// order, before any call made after; then calls go straight to the resolution.
/// </summary>
internal sealed class PromiseHook : CapHook
{
    private readonly object _lock = new();
    private readonly TaskCompletionSource<CapHook> _resolved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Queue<(OutgoingCall Call, ForwardingPromise Promise)>? _queue;
    private volatile CapHook? _target;
    private bool _released;

    public override CapHook Resolved => _target?.Resolved ?? this;

    public override Task<CapHook>? WhenResolved => _target is null ? _resolved.Task : null;

    public bool IsResolved => _target is not null;

    public override PromiseCore Call(OutgoingCall call)
    {
        lock (_lock)
        {
            if (_target is null)
            {
                // The queue holds no handle: a caller that drops its promise abandons the queued call.
                var promise = new ForwardingPromise();
                (_queue ??= new()).Enqueue((call, promise));
                return promise;
            }
        }

        return _target.Call(call);
    }

    /// <summary>Resolves the promise, taking ownership of a reference to <paramref name="target"/>.</summary>
    public void Resolve(CapHook target)
    {
        while (true)
        {
            Queue<(OutgoingCall Call, ForwardingPromise Promise)>? batch;
            lock (_lock)
            {
                if (_target is not null)
                {
                    target.Release();
                    return;
                }

                batch = _queue;
                _queue = null;
                if (batch is null)
                {
                    _target = target;
                    if (_released)
                    {
                        _target.Release();
                    }

                    break;
                }
            }

            // Delivered outside the lock: the target may be a local server that runs user code.
            foreach (var (call, promise) in batch)
            {
                if (promise.IsAbandoned)
                {
                    call.Dispose();
                }
                else
                {
                    promise.Forward(target.Call(call));
                }
            }
        }

        _resolved.TrySetResult(target);
    }

    protected override void OnReleased()
    {
        CapHook? target;
        lock (_lock)
        {
            _released = true;
            target = _target;
        }

        target?.Release();
    }
}
