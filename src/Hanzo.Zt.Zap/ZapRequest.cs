using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>
/// A call being prepared: build its parameters with <see cref="InitParams"/> (capabilities go in with
/// <see cref="AddCapability"/>), then <see cref="Send"/>. The parameters are built in place inside the message
/// that goes on the wire. Dispose a request that is never sent.
/// </summary>
/// <remarks>
/// A small view of pooled state: once sent or disposed (through any copy), every member throws
/// <see cref="InvalidOperationException"/> and disposing again does nothing.
/// </remarks>
public readonly struct ZapRequest : IZapCapTableBuilder, IDisposable
{
    private readonly OutgoingCall? _call;
    private readonly int _generation;

    internal ZapRequest(CapHook target, ulong interfaceId, ushort methodId)
    {
        var call = OutgoingCall.Rent(interfaceId, methodId);
        call.Target = target.AddRef();
        _call = call;
        _generation = call.Generation;
    }

    private OutgoingCall Call =>
        _call is { } call && call.RequestHeld(_generation)
            ? call
            : throw new InvalidOperationException("the request was already sent or disposed (or is empty)");

    /// <summary>Starts the parameters' struct.</summary>
    public StructBuilder InitParams(int dataWords, int pointerCount) => Call.Content.InitStruct(dataWords, pointerCount);

    /// <summary>The parameters' content pointer, for parameters that are not a struct.</summary>
    public PointerBuilder ParamsContent => Call.Content;

    /// <summary>
    /// Adds <paramref name="capability"/> (or null) to the parameters' cap table and returns the index to write
    /// with <see cref="PointerBuilder.SetCapability"/>. The request takes its own reference.
    /// </summary>
    public uint AddCapability(ZapCapability? capability) => Call.AddCap(capability?.Hook.AddRef());

    /// <summary>
    /// Sends the call. The returned promise can be awaited for the results or used at once to call
    /// capabilities the results will hold (promise pipelining). Canceling <paramref name="cancellationToken"/>
    /// before the results arrive tells the callee (a <c>Finish</c>) and fails the promise.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request was already sent or disposed.</exception>
    public ZapPromise Send(CancellationToken cancellationToken = default)
    {
        var call = _call;
        if (call is null || !call.TryTakeRequest(_generation))
        {
            throw new InvalidOperationException("the request was already sent or disposed (or is empty)");
        }

        var target = call.Target!;
        call.Target = null;
        call.CancellationToken = cancellationToken;
        try
        {
            var span = ZapCallTracing.Start(call.InterfaceId, call.MethodId);
            PromiseCore? promise = null;
            try
            {
                promise = target.Call(call);
            }
            finally
            {
                if (span is not null) ZapCallTracing.EndWhenSettled(span, promise);
            }

            return new ZapPromise(promise, cancellationToken);
        }
        finally
        {
            target.Release();
        }
    }

    /// <summary>Drops an unsent request; does nothing once it was sent or disposed.</summary>
    public void Dispose()
    {
        if (_call is { } call && call.TryTakeRequest(_generation))
        {
            var target = call.Target;
            call.Target = null;
            call.Dispose();
            target?.Release();
        }
    }
}
