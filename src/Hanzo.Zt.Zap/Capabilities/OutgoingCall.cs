using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// A call being made: its parameters are built directly inside the RPC <c>Call</c> message that will go on the
/// wire, so a remote call sends the builder's segments as they are and a local call reads them in place.
/// </summary>
/// <remarks>
/// A call sent to the peer is reused by the next call made on the same thread (<see cref="Recycle"/>); the
/// <see cref="ZapRequest"/> views name one incarnation (<see cref="Generation"/>), so a stale view fails.
/// </remarks>
internal sealed class OutgoingCall : IDisposable
{
    [ThreadStatic]
    private static OutgoingCall? t_spare;

    private List<CapHook?>? _caps;
    private MessageReader? _reader;
    private int _disposed;
    private int _generation;
    private int _requestHold;

    private OutgoingCall()
    {
    }

    /// <summary>A call of <paramref name="methodId"/> of <paramref name="interfaceId"/>, held by the view of <see cref="Generation"/>.</summary>
    public static OutgoingCall Rent(ulong interfaceId, ushort methodId)
    {
        var call = t_spare ?? new OutgoingCall();
        t_spare = null;
        call.Init(interfaceId, methodId);
        return call;
    }

    private void Init(ulong interfaceId, ushort methodId)
    {
        int generation = _generation + 1;
        _generation = generation <= 0 ? 1 : generation;
        _requestHold = _generation;
        _disposed = 0;
        InterfaceId = interfaceId;
        MethodId = methodId;
        CancellationToken = default;
        Message = RpcCodec.RentMessage(RpcMessageKind.Call, Rpc.Call.DataWords, Rpc.Call.Pointers, out var call);
        Body = call;
        call.WriteUInt64(Rpc.Call.InterfaceId, interfaceId);
        call.WriteUInt16(Rpc.Call.MethodId, methodId);
        Payload = call.InitStruct(Rpc.Call.Params, Rpc.Payload.DataWords, Rpc.Payload.Pointers);
    }

    public int Generation => _generation;

    public ulong InterfaceId { get; private set; }

    public ushort MethodId { get; private set; }

    public MessageBuilder Message { get; private set; } = null!;

    /// <summary>The <c>Call</c> struct.</summary>
    public StructBuilder Body { get; private set; }

    /// <summary>The <c>Payload</c> struct of the parameters.</summary>
    public StructBuilder Payload { get; private set; }

    public PointerBuilder Content => Payload.GetPointer(Rpc.Payload.Content);

    /// <summary>A reader over the message as built, for delivery in this process; reused by every call this object makes.</summary>
    public MessageReader ReadBack()
    {
        var reader = _reader ??= new MessageReader(ReaderOptions.Default);
        reader.Reset(Message);
        return reader;
    }

    public CancellationToken CancellationToken { get; set; }

    /// <summary>The capability a <see cref="ZapRequest"/> will send the call to (a reference the request owns).</summary>
    public CapHook? Target { get; set; }

    /// <summary>The capabilities the parameters point at, by cap-table index (references owned by the call).</summary>
    public IReadOnlyList<CapHook?> Caps => (IReadOnlyList<CapHook?>?)_caps ?? [];

    /// <summary>True while the request view of <paramref name="generation"/> may still build and send the call.</summary>
    public bool RequestHeld(int generation) => Volatile.Read(ref _requestHold) == generation;

    /// <summary>The request view of <paramref name="generation"/> takes the call to send or drop it (once).</summary>
    public bool TryTakeRequest(int generation) => Interlocked.CompareExchange(ref _requestHold, 0, generation) == generation;

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
        if (_caps is not { Count: > 0 } caps)
        {
            return [];
        }

        var taken = caps.ToArray();
        caps.Clear();
        return taken;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _requestHold = 0;
        RpcCodec.ReturnMessage(Message);
        Message = null!;
        if (_caps is { Count: > 0 } caps)
        {
            var held = caps.ToArray();
            caps.Clear();
            foreach (var cap in held)
            {
                cap?.Release();
            }
        }
    }

    /// <summary>
    /// Disposes the call and keeps it for this thread's next call. Only for a call nothing else can reach any more
    /// (sent to the peer, its message already copied out).
    /// </summary>
    public void Recycle()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        Dispose();
        Target = null;
        t_spare = this;
    }
}
