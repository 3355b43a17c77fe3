using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Zap;

/// <summary>
/// A struct from a received message, copied so it outlives the call that carried it, with its capabilities
/// held: a server that keeps a parameter (a stored function body, a callback) keeps one of these.
/// </summary>
public sealed class ZapRetainedMessage : IZapCapTableReader, IDisposable
{
    private readonly MessageBuilder _message;
    private readonly MessageReader _reader;
    private readonly ZapCapability[] _caps;

    private ZapRetainedMessage(MessageBuilder message, ZapCapability[] caps)
    {
        _message = message;
        _reader = message.AsReader();
        _caps = caps;
    }

    /// <summary>The copied struct.</summary>
    public StructReader Root => _reader.GetRoot();

    /// <inheritdoc/>
    public int CapabilityCount => _caps.Length;

    /// <summary>Copies <paramref name="source"/>, taking a reference to every capability of <paramref name="caps"/> (indexes are kept).</summary>
    public static ZapRetainedMessage Copy(StructReader source, IZapCapTableReader? caps)
    {
        var message = new MessageBuilder();
        message.Root.SetStruct(source);
        var held = new ZapCapability[caps?.CapabilityCount ?? 0];
        for (int i = 0; i < held.Length; i++)
        {
            held[i] = caps!.GetCapability((uint)i);
        }

        return new ZapRetainedMessage(message, held);
    }

    /// <inheritdoc/>
    public ZapCapability GetCapability(uint? capTableIndex) =>
        capTableIndex is { } i && i < _caps.Length ? _caps[i].Clone() : ZapCapability.Null();

    /// <summary>Releases the capabilities and the copy's memory.</summary>
    public void Dispose()
    {
        foreach (var cap in _caps)
        {
            cap.Dispose();
        }

        _message.Dispose();
    }
}
