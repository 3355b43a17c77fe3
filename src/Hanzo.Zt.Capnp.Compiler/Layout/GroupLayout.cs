namespace Hanzo.Zt.Capnp.Compiler.Layout;

/// <summary>
/// One member of a union (a field, a group or a named union): it allocates inside the union's
/// shared slots first, growing a slot or adding one only when nothing it already overlaps fits.
/// </summary>
internal sealed class GroupLayout : LayoutScope
{
    private readonly List<DataLocationUsage> usages = new();
    private int pointerLocationsUsed;
    private bool hasMembers;

    public GroupLayout(UnionLayout parent) => Parent = parent;

    public UnionLayout Parent { get; }

    public override void AddVoid()
    {
        AddMember();
        Parent.Parent.AddVoid();
    }

    public override uint AddData(uint lgSize)
    {
        AddMember();

        uint bestSize = uint.MaxValue;
        int bestLocation = -1;
        for (int i = 0; i < Parent.DataLocations.Count; i++)
        {
            if (usages.Count == i)
            {
                usages.Add(new DataLocationUsage());
            }

            if (usages[i].SmallestHoleAtLeast(Parent.DataLocations[i], lgSize) is { } hole && hole < bestSize)
            {
                bestSize = hole;
                bestLocation = i;
            }
        }

        if (bestLocation >= 0)
        {
            return usages[bestLocation].AllocateFromHole(Parent.DataLocations[bestLocation], lgSize);
        }

        for (int i = 0; i < Parent.DataLocations.Count; i++)
        {
            if (usages[i].TryAllocateByExpanding(this, Parent.DataLocations[i], lgSize) is { } result)
            {
                return result;
            }
        }

        uint offset = Parent.AddNewDataLocation(lgSize);
        usages.Add(new DataLocationUsage(lgSize));
        return offset;
    }

    public override uint AddPointer()
    {
        AddMember();
        if (pointerLocationsUsed < Parent.PointerLocations.Count)
        {
            return Parent.PointerLocations[pointerLocationsUsed++];
        }

        pointerLocationsUsed++;
        return Parent.AddNewPointerLocation();
    }

    public override bool TryExpandData(uint oldLgSize, uint oldOffset, uint expansionFactor)
    {
        if (oldLgSize + expansionFactor > 6 || (oldOffset & ((1u << (int)expansionFactor) - 1)) != 0)
        {
            return false;
        }

        for (int i = 0; i < usages.Count; i++)
        {
            var location = Parent.DataLocations[i];
            if (location.LgSize >= oldLgSize && oldOffset >> (int)(location.LgSize - oldLgSize) == location.Offset)
            {
                uint localOldOffset = oldOffset - (location.Offset << (int)(location.LgSize - oldLgSize));
                return usages[i].TryExpand(this, location, oldLgSize, localOldOffset, expansionFactor);
            }
        }

        return false;
    }

    private void AddMember()
    {
        if (!hasMembers)
        {
            hasMembers = true;
            Parent.NewGroupAddingFirstMember();
        }
    }
}
