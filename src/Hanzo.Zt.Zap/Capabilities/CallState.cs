using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Pooling;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// What one incoming call holds while a server handles it: the parameters (read in place) and the results being
/// built. Pooled; the server sees it through <see cref="ZapCallContext"/> views of one <see cref="Generation"/>.
/// </summary>
internal sealed class CallState
{
    private static readonly SmallPool<CallState> Pool = new(256);

    private PointerReader _params;
    private IDisposable? _receivedMessage;
    private OutgoingCall? _localCall;
    private CapHook?[] _paramCaps = [];
    private ReturnBuilder? _results;
    private List<CapHook?>? _resultCaps;
    private int _generation;

    private CallState()
    {
    }

    /// <summary>A call received from the peer: its parameters are read in place from <paramref name="message"/>, which the state disposes once they are released.</summary>
    public static CallState RentReceived(ulong interfaceId, ushort methodId, PointerReader content, CapHook?[] caps, IDisposable message, CancellationToken cancellationToken)
    {
        var state = Rent(interfaceId, methodId, content, caps, cancellationToken);
        state._receivedMessage = message;
        return state;
    }

    /// <summary>A call made in this process: its parameters are read in place from <paramref name="call"/>'s request, which the state recycles once they are released.</summary>
    public static CallState RentLocal(OutgoingCall call, PointerReader content, CapHook?[] caps)
    {
        var state = Rent(call.InterfaceId, call.MethodId, content, caps, call.CancellationToken);
        state._localCall = call;
        return state;
    }

    private static CallState Rent(ulong interfaceId, ushort methodId, PointerReader content, CapHook?[] caps, CancellationToken cancellationToken)
    {
        var state = Pool.TryTake() ?? new CallState();
        state.InterfaceId = interfaceId;
        state.MethodId = methodId;
        state._params = content;
        state._paramCaps = caps;
        state.CancellationToken = cancellationToken;
        int generation = state._generation + 1;
        Volatile.Write(ref state._generation, generation <= 0 ? 1 : generation);
        return state;
    }

    public int Generation => Volatile.Read(ref _generation);

    public ulong InterfaceId { get; private set; }

    public ushort MethodId { get; private set; }

    public CancellationToken CancellationToken { get; private set; }

    public PointerReader Params => _params;

    public int ParamCapabilityCount => _paramCaps.Length;

    /// <summary>The view of <paramref name="generation"/> may still use this state.</summary>
    public bool IsCurrent(int generation) => Volatile.Read(ref _generation) == generation;

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

    public PointerBuilder ResultsContent => Results.Payload.GetPointer(Rpc.Payload.Content);

    public uint AddResultCapability(ZapCapability? capability)
    {
        _ = Results;
        _resultCaps ??= new List<CapHook?>(2);
        _resultCaps.Add(capability?.Hook.AddRef());
        return (uint)(_resultCaps.Count - 1);
    }

    public void ReleaseParams()
    {
        // A local call's request: nothing refers to it once the server is done with the parameters.
        Interlocked.Exchange(ref _localCall, null)?.Recycle();
        Interlocked.Exchange(ref _receivedMessage, null)?.Dispose();
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
                var message = RpcCodec.RentMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out var body);
                var payload = body.InitStruct(Rpc.Return.Body, Rpc.Payload.DataWords, Rpc.Payload.Pointers);
                _results = new ReturnBuilder(message, body, payload);
            }

            return _results.Value;
        }
    }

    /// <summary>Turns what the server built into the call's response (empty results when it built none).</summary>
    public ResponseCore TakeResponse()
    {
        var results = Results;
        _results = null;
        CapHook?[] caps = _resultCaps is { Count: > 0 } list ? list.ToArray() : [];
        _resultCaps?.Clear();
        return ResponseCore.Rent(results, caps);
    }

    /// <summary>Drops results built so far (the call failed).</summary>
    public void DiscardResults()
    {
        if (_results is { } results)
        {
            RpcCodec.ReturnMessage(results.Message);
        }

        _results = null;
        if (_resultCaps is { Count: > 0 } caps)
        {
            var held = caps.ToArray();
            caps.Clear();
            foreach (var cap in held)
            {
                cap?.Release();
            }
        }
    }

    /// <summary>The call is over (parameters released, results taken or discarded): views fail from now on and the state is reused.</summary>
    public void Recycle()
    {
        ReleaseParams();
        DiscardResults();
        int generation = _generation + 1;
        Volatile.Write(ref _generation, generation <= 0 ? 1 : generation);
        _params = default;
        CancellationToken = default;
        Pool.Return(this);
    }
}
