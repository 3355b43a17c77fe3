using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

/// <summary>One incoming call, as a server sees it: the parameters to read and the results to build.</summary>
/// <remarks>Valid until <see cref="IZapServer.DispatchAsync"/> completes; do not keep it afterwards.</remarks>
public sealed class ZapCallContext : IZapCapTableReader, IZapCapTableBuilder
{
    private readonly PointerReader _params;
    private IDisposable? _paramsOwner;
    private CapHook?[] _paramCaps;
    private ReturnBuilder? _results;
    private List<CapHook?>? _resultCaps;

    internal ZapCallContext(ulong interfaceId, ushort methodId, PointerReader content, CapHook?[] caps, IDisposable? owner, CancellationToken cancellationToken)
    {
        InterfaceId = interfaceId;
        MethodId = methodId;
        _params = content;
        _paramCaps = caps;
        _paramsOwner = owner;
        CancellationToken = cancellationToken;
    }

    /// <summary>The id of the interface the method belongs to.</summary>
    public ulong InterfaceId { get; }

    /// <summary>The method's ordinal within its interface.</summary>
    public ushort MethodId { get; }

    /// <summary>Signaled when the caller cancels the call (sends <c>Finish</c> before the results) or the connection ends.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The parameters' struct; empty (all defaults) when the caller sent none.</summary>
    /// <exception cref="CapnpFormatException">The caller's parameters are not a struct.</exception>
    public StructReader Params => _params.GetStruct();

    /// <summary>The raw parameters' pointer.</summary>
    public PointerReader ParamsPointer => _params;

    /// <summary>How many entries the parameters' cap table has.</summary>
    public int ParamCapabilityCount => _paramCaps.Length;

    int IZapCapTableReader.CapabilityCount => _paramCaps.Length;

    uint IZapCapTableBuilder.AddCapability(ZapCapability? capability) => AddResultCapability(capability);

    /// <summary>
    /// A new reference to the capability at <paramref name="capTableIndex"/> of the parameters (as read with
    /// <see cref="PointerReader.GetCapabilityIndex"/>); dispose it when done. A null index gives a null capability.
    /// </summary>
    public ZapCapability GetCapability(uint? capTableIndex)
    {
        if (capTableIndex is null)
        {
            return new ZapCapability(BrokenHook.Null());
        }

        var caps = _paramCaps;
        if (capTableIndex.Value >= (uint)caps.Length)
        {
            throw new ZapException(ZapExceptionType.Failed, $"the parameters name cap-table index {capTableIndex}, but the table has {caps.Length} entries");
        }

        return new ZapCapability(caps[capTableIndex.Value]?.AddRef() ?? BrokenHook.Null());
    }

    /// <summary>Starts the results' struct; call at most once.</summary>
    public StructBuilder InitResults(int dataWords, int pointerCount) =>
        ResultsContent.InitStruct(dataWords, pointerCount);

    /// <summary>The results' content pointer, for results that are not a struct (a bootstrap-style capability).</summary>
    public PointerBuilder ResultsContent => Results.Payload.GetPointer(Rpc.Payload.Content);

    /// <summary>Adds <paramref name="capability"/> (or null) to the results' cap table; returns the index to write with <see cref="PointerBuilder.SetCapability"/>.</summary>
    /// <remarks>The results take their own reference: the caller still owns and disposes <paramref name="capability"/>.</remarks>
    public uint AddResultCapability(ZapCapability? capability)
    {
        _ = Results;
        _resultCaps ??= new List<CapHook?>(2);
        _resultCaps.Add(capability?.Hook.AddRef());
        return (uint)(_resultCaps.Count - 1);
    }

    /// <summary>Releases the parameters early, once they have been read, so their memory and capabilities go back sooner.</summary>
    public void ReleaseParams()
    {
        var owner = Interlocked.Exchange(ref _paramsOwner, null);
        owner?.Dispose();
        var caps = Interlocked.Exchange(ref _paramCaps, []);
        foreach (var cap in caps)
        {
            cap?.Release();
        }
    }

    private ReturnBuilder Results
    {
        get
        {
            if (_results is null)
            {
                var message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out var body);
                var payload = body.InitStruct(Rpc.Return.Body, Rpc.Payload.DataWords, Rpc.Payload.Pointers);
                _results = new ReturnBuilder(message, body, payload);
            }

            return _results.Value;
        }
    }

    /// <summary>Turns what the server built into the call's response (empty results when it built none).</summary>
    internal ResponseCore TakeResponse()
    {
        var results = Results;
        _results = null;
        var reader = results.Message.AsReader();
        var content = reader.GetRoot().ReadStruct(Rpc.Message.Body).ReadStruct(Rpc.Return.Body).GetPointer(Rpc.Payload.Content);
        var caps = _resultCaps?.ToArray() ?? [];
        _resultCaps = null;
        return ResponseCore.Rent(content, caps, owner: null, results);
    }

    /// <summary>Drops results built so far (the call failed).</summary>
    internal void DiscardResults()
    {
        _results?.Message.Dispose();
        _results = null;
        if (_resultCaps is { } caps)
        {
            _resultCaps = null;
            foreach (var cap in caps)
            {
                cap?.Release();
            }
        }
    }
}
