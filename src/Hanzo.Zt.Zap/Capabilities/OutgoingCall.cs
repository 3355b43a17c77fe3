using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// A call being made: its parameters are built directly inside the RPC <c>Call</c> message that will go on the
/// wire, so a remote call sends the builder's segments as they are and a local call reads them in place.
/// </summary>
internal sealed class OutgoingCall : IDisposable
{
    private List<CapHook?>? _caps;
    private int _disposed;

    public OutgoingCall(ulong interfaceId, ushort methodId)
    {
        InterfaceId = interfaceId;
        MethodId = methodId;
        Message = RpcCodec.RentMessage(RpcMessageKind.Call, Rpc.Call.DataWords, Rpc.Call.Pointers, out var call);
        Body = call;
        call.WriteUInt64(Rpc.Call.InterfaceId, interfaceId);
        call.WriteUInt16(Rpc.Call.MethodId, methodId);
        Payload = call.InitStruct(Rpc.Call.Params, Rpc.Payload.DataWords, Rpc.Payload.Pointers);
    }

    public ulong InterfaceId { get; }

    public ushort MethodId { get; }

    public MessageBuilder Message { get; }

    /// <summary>The <c>Call</c> struct.</summary>
    public StructBuilder Body { get; }

    /// <summary>The <c>Payload</c> struct of the parameters.</summary>
    public StructBuilder Payload { get; }

    public PointerBuilder Content => Payload.GetPointer(Rpc.Payload.Content);

    public CancellationToken CancellationToken { get; set; }

    /// <summary>The capabilities the parameters point at, by cap-table index (references owned by the call).</summary>
    public IReadOnlyList<CapHook?> Caps => (IReadOnlyList<CapHook?>?)_caps ?? [];

    /// <summary>Adds a capability to the cap table, taking ownership of the reference; returns its index.</summary>
    public uint AddCap(CapHook? hook)
    {
        _caps ??= new List<CapHook?>(2);
        _caps.Add(hook);
        return (uint)(_caps.Count - 1);
    }

    /// <summary>Hands the cap table's references to the caller; the call no longer releases them.</summary>
    public CapHook?[] TakeCaps()
    {
        var caps = _caps?.ToArray() ?? [];
        _caps = null;
        return caps;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        RpcCodec.ReturnMessage(Message);
        if (_caps is { } caps)
        {
            _caps = null;
            foreach (var cap in caps)
            {
                cap?.Release();
            }
        }
    }
}
