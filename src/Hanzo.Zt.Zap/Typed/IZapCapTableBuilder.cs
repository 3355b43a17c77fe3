namespace Hanzo.Zt.Zap;

/// <summary>
/// The capability table of a message being built (call parameters or results). Generated builders carry one
/// so capability fields can be set.
/// </summary>
public interface IZapCapTableBuilder
{
    /// <summary>Adds <paramref name="capability"/> (or null), taking its own reference; returns the index to write in the pointer.</summary>
    uint AddCapability(ZapCapability? capability);
}
