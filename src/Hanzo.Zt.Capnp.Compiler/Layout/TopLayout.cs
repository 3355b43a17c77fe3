namespace Hanzo.Zt.Capnp.Compiler.Layout;

/// <summary>The struct's own sections: data grows a word at a time, leftover space is kept as holes.</summary>
internal sealed class TopLayout : LayoutScope
{
    private readonly HoleSet holes = new();

    public uint DataWordCount { get; private set; }

    public uint PointerCount { get; private set; }

    public override void AddVoid()
    {
    }

    public override uint AddData(uint lgSize)
    {
        if (holes.TryAllocate(lgSize) is { } hole)
        {
            return hole;
        }

        uint offset = DataWordCount++ << (int)(6 - lgSize);
        holes.AddHolesAtEnd(lgSize, offset + 1);
        return offset;
    }

    public override uint AddPointer() => PointerCount++;

    public override bool TryExpandData(uint oldLgSize, uint oldOffset, uint expansionFactor) =>
        holes.TryExpand(oldLgSize, oldOffset, expansionFactor);
}
