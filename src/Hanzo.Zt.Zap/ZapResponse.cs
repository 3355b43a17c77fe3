using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>The results of a completed call, read in place. Dispose it when done to return its memory and capabilities.</summary>
/// <remarks>
/// A small view of pooled state: after <see cref="Dispose"/> (through any copy) every member throws
/// <see cref="ObjectDisposedException"/>, never showing another call's results. Readers taken from
/// <see cref="Results"/> must not be used after disposing either.
/// </remarks>
public readonly struct ZapResponse : IZapCapTableReader, IDisposable
{
    private readonly PromiseCore? _promise;
    private readonly int _generation;

    internal ZapResponse(PromiseCore promise, int generation)
    {
        _promise = promise;
        _generation = generation;
    }

    private ResponseCore Core =>
        _promise?.ResponseFor(_generation) ?? throw new ObjectDisposedException(nameof(ZapResponse), "this response is empty (default): it belongs to no call");

    /// <summary>The results' struct.</summary>
    public StructReader Results => Core.Content.GetStruct();

    /// <summary>The results' content pointer.</summary>
    public PointerReader Content => Core.Content;

    /// <inheritdoc/>
    public int CapabilityCount => Core.Caps.Count;

    /// <summary>A new reference to the capability at cap-table <paramref name="capTableIndex"/>; dispose it when done.</summary>
    public ZapCapability GetCapability(uint? capTableIndex) => new(Core.GetCap(capTableIndex));

    /// <summary>Returns the results' memory and capabilities. Disposing again does nothing.</summary>
    public void Dispose() => _promise?.ReleaseResponse(_generation);
}
