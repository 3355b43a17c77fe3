using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>A capability implemented in this process by an <see cref="IZapServer"/>.</summary>
internal sealed class LocalServerHook(IZapServer server) : CapHook
{
    public IZapServer Server { get; } = server;

    public override PromiseCore Call(OutgoingCall call)
    {
        PointerReader content;
        try
        {
            var reader = call.Message.AsReader();
            content = reader.GetRoot().ReadStruct(Rpc.Message.Body).ReadStruct(Rpc.Call.Params).GetPointer(Rpc.Payload.Content);
        }
        catch (Exception e)
        {
            call.Dispose();
            return PromiseCore.Failed(e);
        }

        var caps = call.TakeCaps();
        var context = new ZapCallContext(call.InterfaceId, call.MethodId, content, caps, call, call.CancellationToken);
        return Dispatch(context, cancellation: null);
    }

    /// <summary>Runs the server on <paramref name="context"/>; the promise settles when it finishes.</summary>
    public PromiseCore Dispatch(ZapCallContext context, CancellationTokenSource? cancellation)
    {
        var promise = new LocalCallPromise(context, cancellation);
        ValueTask pending;
        try
        {
            pending = Server.DispatchAsync(context);
        }
        catch (Exception e)
        {
            promise.Finish(e);
            return promise;
        }

        if (pending.IsCompletedSuccessfully)
        {
            promise.Finish(null);
        }
        else
        {
            _ = AwaitAsync(pending, promise);
        }

        return promise;
    }

    private static async Task AwaitAsync(ValueTask pending, LocalCallPromise promise)
    {
        try
        {
            await pending.ConfigureAwait(false);
            promise.Finish(null);
        }
        catch (Exception e)
        {
            promise.Finish(e);
        }
    }

    protected override void OnReleased()
    {
        switch (Server)
        {
            case IAsyncDisposable asyncDisposable:
                _ = asyncDisposable.DisposeAsync().AsTask();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}

/// <summary>The result of a call a local server is handling; pipelined capabilities wait for it.</summary>
internal sealed class LocalCallPromise(ZapCallContext context, CancellationTokenSource? cancellation) : PromiseCore
{
    private readonly object _lock = new();
    private readonly PipelineCache<PromiseHook> _cache = new();
    private List<(ushort[] Path, PromiseHook Hook)>? _pipelined;
    private bool _done;
    private ResponseCore? _response;
    private Exception? _error;

    public override CapHook GetPipelinedCap(ushort[] path)
    {
        lock (_lock)
        {
            if (_cache.TryReuse(path) is { } known)
            {
                return known;
            }

            if (!_done)
            {
                var hook = new PromiseHook();
                (_pipelined ??= new()).Add((path, (PromiseHook)hook.AddRef()));
                _cache.Add(path, hook);
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
        context.ReleaseParams();
        ResponseCore? response = null;
        if (error is null)
        {
            try
            {
                response = context.TakeResponse();
            }
            catch (Exception e)
            {
                error = e;
            }
        }

        if (error is not null)
        {
            context.DiscardResults();
        }

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
        foreach (var (path, hook) in pipelined ?? [])
        {
            hook.Resolve(response is not null ? response.GetCapAt(path) : new BrokenHook(error!));
            hook.Release();
        }

        Settle(response, error);
    }

    protected override void OnAbandoned()
    {
        try
        {
            _ = cancellation?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Settle(ResponseCore? response, Exception? error)
    {
        if (response is not null)
        {
            Complete(response);
        }
        else
        {
            Fail(error!);
        }
    }
}
