namespace Hanzo.Zt.Capnp.Compiler.Layout;

/// <summary>Where a field's storage comes from: the struct itself, or a union member's group sharing it.</summary>
internal abstract class LayoutScope
{
    public abstract void AddVoid();

    /// <summary>Allocates 2^lgSize bits; returns the offset in units of that size.</summary>
    public abstract uint AddData(uint lgSize);

    public abstract uint AddPointer();

    public abstract bool TryExpandData(uint oldLgSize, uint oldOffset, uint expansionFactor);
}
