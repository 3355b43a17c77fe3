namespace Hanzo.Zt.Capnp.Compiler.Layout;

/// <summary>
/// A union's storage: data and pointer slots allocated from the parent that every member reuses,
/// plus the 16-bit discriminant, placed when the second member gets its first field.
/// </summary>
internal sealed class UnionLayout
{
    public UnionLayout(LayoutScope parent) => Parent = parent;

    public LayoutScope Parent { get; }

    public uint? DiscriminantOffset { get; private set; }

    public List<DataLocation> DataLocations { get; } = new();

    public List<uint> PointerLocations { get; } = new();

    private int groupCount;

    public uint AddNewDataLocation(uint lgSize)
    {
        uint offset = Parent.AddData(lgSize);
        DataLocations.Add(new DataLocation(lgSize, offset));
        return offset;
    }

    public uint AddNewPointerLocation()
    {
        uint offset = Parent.AddPointer();
        PointerLocations.Add(offset);
        return offset;
    }

    public void NewGroupAddingFirstMember()
    {
        if (++groupCount == 2)
        {
            AddDiscriminant();
        }
    }

    public bool AddDiscriminant()
    {
        if (DiscriminantOffset is not null)
        {
            return false;
        }

        DiscriminantOffset = Parent.AddData(4);
        return true;
    }

    /// <summary>A data slot of the parent that the union's members share.</summary>
    internal sealed class DataLocation
    {
        public DataLocation(uint lgSize, uint offset)
        {
            LgSize = lgSize;
            Offset = offset;
        }

        public uint LgSize { get; private set; }

        public uint Offset { get; private set; }

        public bool TryExpandTo(UnionLayout union, uint newLgSize)
        {
            if (newLgSize <= LgSize)
            {
                return true;
            }

            if (union.Parent.TryExpandData(LgSize, Offset, newLgSize - LgSize))
            {
                Offset >>= (int)(newLgSize - LgSize);
                LgSize = newLgSize;
                return true;
            }

            return false;
        }
    }
}
