namespace Hanzo.Zt.Zap;

/// <summary>
/// The capability table of a received message (call parameters or results): turns the cap-table index a
/// capability pointer holds into a reference. Generated readers of RPC messages carry one.
/// </summary>
public interface IZapCapTableReader
{
    /// <summary>How many entries the table has.</summary>
    int CapabilityCount { get; }

    /// <summary>A new reference to the capability at <paramref name="capTableIndex"/> (null gives the null capability); dispose it when done.</summary>
    ZapCapability GetCapability(uint? capTableIndex);
}
