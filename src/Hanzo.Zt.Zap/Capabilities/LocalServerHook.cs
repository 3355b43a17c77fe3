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
            var reader = call.ReadBack();
            content = reader.GetRoot().ReadStruct(Rpc.Message.Body).ReadStruct(Rpc.Call.Params).GetPointer(Rpc.Payload.Content);
        }
        catch (Exception e)
        {
            call.Dispose();
            return PromiseCore.Failed(e);
        }

        var caps = call.TakeCaps();
        var state = CallState.RentLocal(call, content, caps);
        return Dispatch(state, cancellation: null);
    }

    /// <summary>Runs the server on <paramref name="state"/>; the promise settles when it finishes.</summary>
    public PromiseCore Dispatch(CallState state, CancellationTokenSource? cancellation)
    {
        var promise = LocalCallPromise.Rent(state, cancellation);
        ValueTask pending;
        try
        {
            pending = Server.DispatchAsync(new ZapCallContext(state));
        }
        catch (Exception e)
        {
            promise.Finish(AsCallError(e));
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
            promise.Finish(AsCallError(e));
        }
    }

    // As over a connection: a ZapException keeps its type, anything else fails the call with its message.
    private static Exception AsCallError(Exception e) =>
        e as ZapException ?? new ZapException(ZapExceptionType.Failed, e.Message, e);

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
