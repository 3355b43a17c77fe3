using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>One incoming call, as a server sees it: the parameters to read and the results to build.</summary>
/// <remarks>
/// Valid until <see cref="IZapServer.DispatchAsync"/> completes: a small view of pooled state, so a context kept
/// afterwards throws <see cref="ObjectDisposedException"/> instead of showing a later call. So does its
/// <see cref="CancellationToken"/>'s source: do not keep the token past the call either.
/// </remarks>
public readonly struct ZapCallContext : IZapCapTableReader, IZapCapTableBuilder
{
    private readonly CallState? _state;
    private readonly int _generation;

    internal ZapCallContext(CallState state)
    {
        _state = state;
        _generation = state.Generation;
    }

    private CallState State =>
        _state is { } state && state.IsCurrent(_generation)
            ? state
            : throw new ObjectDisposedException(nameof(ZapCallContext), "the call is over (DispatchAsync has completed), or this context is empty");

    /// <summary>The id of the interface the method belongs to.</summary>
    public ulong InterfaceId => State.InterfaceId;

    /// <summary>The method's ordinal within its interface.</summary>
    public ushort MethodId => State.MethodId;

    /// <summary>Signaled when the caller cancels the call (sends <c>Finish</c> before the results) or the connection ends.</summary>
    public CancellationToken CancellationToken => State.CancellationToken;

    /// <summary>The parameters' struct; empty (all defaults) when the caller sent none.</summary>
    /// <exception cref="CapnpFormatException">The caller's parameters are not a struct.</exception>
    public StructReader Params => State.Params.GetStruct();

    /// <summary>The raw parameters' pointer.</summary>
    public PointerReader ParamsPointer => State.Params;

    /// <summary>How many entries the parameters' cap table has.</summary>
    public int ParamCapabilityCount => State.ParamCapabilityCount;

    int IZapCapTableReader.CapabilityCount => State.ParamCapabilityCount;

    uint IZapCapTableBuilder.AddCapability(ZapCapability? capability) => AddResultCapability(capability);

    /// <summary>
    /// A new reference to the capability at <paramref name="capTableIndex"/> of the parameters (as read with
    /// <see cref="PointerReader.GetCapabilityIndex"/>); dispose it when done. A null index gives a null capability.
    /// </summary>
    public ZapCapability GetCapability(uint? capTableIndex) => State.GetCapability(capTableIndex);

    /// <summary>Starts the results' struct; call at most once.</summary>
    public StructBuilder InitResults(int dataWords, int pointerCount) =>
        State.ResultsContent.InitStruct(dataWords, pointerCount);

    /// <summary>The results' content pointer, for results that are not a struct (a bootstrap-style capability).</summary>
    public PointerBuilder ResultsContent => State.ResultsContent;

    /// <summary>Adds <paramref name="capability"/> (or null) to the results' cap table; returns the index to write with <see cref="PointerBuilder.SetCapability"/>.</summary>
    /// <remarks>The results take their own reference: the caller still owns and disposes <paramref name="capability"/>.</remarks>
    public uint AddResultCapability(ZapCapability? capability) => State.AddResultCapability(capability);

    /// <summary>Releases the parameters early, once they have been read, so their memory and capabilities go back sooner.</summary>
    public void ReleaseParams() => State.ReleaseParams();
}
