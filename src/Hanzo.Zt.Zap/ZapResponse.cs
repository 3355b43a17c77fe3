using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>The results of a completed call, read in place. Dispose it when done to return its memory and capabilities.</summary>
public sealed class ZapResponse : IZapCapTableReader, IDisposable
{
    private ResponseCore? _core;
    private PromiseCore? _promise;

    internal ZapResponse(ResponseCore core, PromiseCore? promise)
    {
        _core = core;
        _promise = promise;
    }

    private ResponseCore Core => _core ?? throw new ObjectDisposedException(nameof(ZapResponse));

    /// <summary>The results' struct.</summary>
    public StructReader Results => Core.Content.GetStruct();

    /// <summary>The results' content pointer.</summary>
    public PointerReader Content => Core.Content;

    /// <inheritdoc/>
    public int CapabilityCount => Core.Caps.Count;

    /// <summary>A new reference to the capability at cap-table <paramref name="capTableIndex"/>; dispose it when done.</summary>
    public ZapCapability GetCapability(uint? capTableIndex) => new(Core.GetCap(capTableIndex));

    /// <summary>Returns the results' memory and capabilities.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _core, null)?.Release();
        Interlocked.Exchange(ref _promise, null)?.ReleaseHandle();
    }
}
