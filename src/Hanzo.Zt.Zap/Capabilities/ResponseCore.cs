using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// The results of a completed call: the payload's content, read in place, and its cap table. Reference counted,
/// because the caller, pipelined capabilities and the answer table may each hold it.
/// </summary>
/// <remarks>Pooled: when the last reference goes, what it holds is given back and the object is reused by a later call.</remarks>
internal sealed class ResponseCore
{
    private static readonly Pooling.SmallPool<ResponseCore> Pool = new(256);

    private IDisposable? _owner;
    private ReturnBuilder? _returnBuilder;
    private PointerReader _content;
    private bool _contentRead;
    private CapHook?[] _caps = [];
    private int _refs;
    private int _returnClaimed;

    // Reused across rentals to view a locally built return (no reader per local call).
    private MessageReader? _localReader;

    private ResponseCore()
    {
    }

    /// <summary>A response (one reference) over <paramref name="content"/>, owning <paramref name="caps"/>, <paramref name="owner"/> and <paramref name="returnBuilder"/>.</summary>
    public static ResponseCore Rent(PointerReader content, CapHook?[] caps, IDisposable? owner, ReturnBuilder? returnBuilder = null)
    {
        var response = Pool.TryTake() ?? new ResponseCore();
        response._content = content;
        response._contentRead = true;
        response._caps = caps;
        response._owner = owner;
        response._returnBuilder = returnBuilder;
        response._returnClaimed = 0;
        Volatile.Write(ref response._refs, 1);
        return response;
    }

    /// <summary>
    /// Results a local server built in <paramref name="results"/> (owned from now on), read in place only if
    /// someone here reads them: a network answer sends the message as it is.
    /// </summary>
    public static ResponseCore Rent(ReturnBuilder results, CapHook?[] caps)
    {
        var response = Rent(default, caps, owner: null, results);
        response._contentRead = false;
        return response;
    }

    /// <summary>The payload's content pointer (usually the results struct).</summary>
    public PointerReader Content => Volatile.Read(ref _contentRead) ? _content : ReadBuiltContent();

    // Kept out of line: a caller that inlines Content stays small (the path runs once per locally answered call).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private PointerReader ReadBuiltContent()
    {
        lock (this)
        {
            if (!_contentRead && _returnBuilder is { } built)
            {
                var reader = _localReader ??= new MessageReader(ReaderOptions.Default);
                reader.Reset(built.Message);
                _content = reader.GetRoot().ReadStruct(Rpc.Message.Body).ReadStruct(Rpc.Return.Body).GetPointer(Rpc.Payload.Content);
                Volatile.Write(ref _contentRead, true);
            }

            return _content;
        }
    }

    public IReadOnlyList<CapHook?> Caps => _caps;

    /// <summary>
    /// For results a local server built: the <c>Return</c> message they were built in, so one network answer can
    /// fill in its answer id and cap table and send it without a copy. The response keeps owning the message.
    /// </summary>
    public ReturnBuilder? ClaimReturnBuilder() =>
        _returnBuilder is not null && Interlocked.Exchange(ref _returnClaimed, 1) == 0 ? _returnBuilder : null;

    public ResponseCore AddRef()
    {
        Interlocked.Increment(ref _refs);
        return this;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _refs) != 0)
        {
            return;
        }

        var caps = Interlocked.Exchange(ref _caps, []);
        foreach (var cap in caps)
        {
            cap?.Release();
        }

        _owner?.Dispose();
        if (_returnBuilder is { } built)
        {
            RpcCodec.ReturnMessage(built.Message);
        }

        _owner = null;
        _returnBuilder = null;
        _content = default;
        Pool.Return(this);
    }

    /// <summary>A new reference to the capability at cap-table <paramref name="index"/>; a broken one when it is out of range.</summary>
    public CapHook GetCap(uint? index)
    {
        if (index is null)
        {
            return BrokenHook.Null();
        }

        var caps = _caps;
        if (index.Value >= (uint)caps.Length)
        {
            return new BrokenHook(new ZapProtocolException($"a capability pointer names cap-table index {index}, but the table has {caps.Length} entries"));
        }

        return caps[index.Value]?.AddRef() ?? BrokenHook.Null();
    }

    /// <summary>A new reference to the capability a pipelined path names.</summary>
    public CapHook GetCapAt(ReadOnlySpan<ushort> path)
    {
        try
        {
            uint? index;
            lock (this)
            {
                // Readers share one traversal budget per message, so walks are serialized.
                var pointer = RpcCodec.Walk(Content, path);
                index = pointer.IsNull ? null : pointer.GetCapabilityIndex();
                if (!pointer.IsNull && index is null)
                {
                    return new BrokenHook(new ZapException(ZapExceptionType.Failed, "a pipelined path names a pointer that is not a capability"));
                }
            }

            return GetCap(index);
        }
        catch (CapnpFormatException e)
        {
            return new BrokenHook(new ZapProtocolException($"a pipelined path cannot be followed: {e.Message}", e));
        }
    }
}

/// <summary>A <c>Return</c> message under construction: the builder, its <c>Return</c> struct and its payload.</summary>
internal readonly record struct ReturnBuilder(MessageBuilder Message, StructBuilder Body, StructBuilder Payload);
