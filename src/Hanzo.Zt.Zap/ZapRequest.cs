using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>
/// A call being prepared: build its parameters with <see cref="InitParams"/> (capabilities go in with
/// <see cref="AddCapability"/>), then <see cref="Send"/>. The parameters are built in place inside the message
/// that goes on the wire. Dispose a request that is never sent.
/// </summary>
public sealed class ZapRequest : IZapCapTableBuilder, IDisposable
{
    private readonly CapHook _target;
    private OutgoingCall? _call;

    internal ZapRequest(CapHook target, ulong interfaceId, ushort methodId)
    {
        _target = target.AddRef();
        _call = new OutgoingCall(interfaceId, methodId);
    }

    private OutgoingCall Call => _call ?? throw new InvalidOperationException("the request was already sent or disposed");

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
    public ZapPromise Send(CancellationToken cancellationToken = default)
    {
        var call = Call;
        _call = null;
        call.CancellationToken = cancellationToken;
        try
        {
            var span = ZapCallTracing.Start(call.InterfaceId, call.MethodId);
            PromiseCore? promise = null;
            try
            {
                promise = _target.Call(call);
            }
            finally
            {
                if (span is not null) ZapCallTracing.EndWhenSettled(span, promise);
            }

            return new ZapPromise(promise, cancellationToken);
        }
        finally
        {
            _target.Release();
        }
    }

    /// <summary>Drops an unsent request.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _call, null) is { } call)
        {
            call.Dispose();
            _target.Release();
        }
    }
}
