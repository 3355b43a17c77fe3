namespace Hanzo.Zt.Capnp.Compiler.Layout;

/// <summary>How much of one shared union data slot a group uses: a prefix of 2^LgSizeUsed bits, plus holes inside it.</summary>
internal sealed class DataLocationUsage
{
    private readonly HoleSet holes = new();
    private bool isUsed;
    private uint lgSizeUsed;

    public DataLocationUsage()
    {
    }

    public DataLocationUsage(uint lgSize)
    {
        isUsed = true;
        lgSizeUsed = lgSize;
    }

    public uint? SmallestHoleAtLeast(UnionLayout.DataLocation location, uint lgSize)
    {
        if (!isUsed)
        {
            return lgSize <= location.LgSize ? location.LgSize : null;
        }

        if (lgSize >= lgSizeUsed)
        {
            // The unused second half of the slot, right after what is used, fits it.
            return lgSize < location.LgSize ? lgSize : null;
        }

        if (holes.SmallestAtLeast(lgSize) is { } hole)
        {
            return hole;
        }

        return lgSizeUsed < location.LgSize ? lgSizeUsed : null;
    }

    public uint AllocateFromHole(UnionLayout.DataLocation location, uint lgSize)
    {
        uint result;
        if (!isUsed)
        {
            result = 0;
            isUsed = true;
            lgSizeUsed = lgSize;
        }
        else if (lgSize >= lgSizeUsed)
        {
            holes.AddHolesAtEnd(lgSizeUsed, 1, lgSize);
            lgSizeUsed = lgSize + 1;
            result = 1;
        }
        else if (holes.TryAllocate(lgSize) is { } hole)
        {
            result = hole;
        }
        else
        {
            result = 1u << (int)(lgSizeUsed - lgSize);
            holes.AddHolesAtEnd(lgSize, result + 1, lgSizeUsed);
            lgSizeUsed += 1;
        }

        return (location.Offset << (int)(location.LgSize - lgSize)) + result;
    }

    public uint? TryAllocateByExpanding(GroupLayout group, UnionLayout.DataLocation location, uint lgSize)
    {
        if (!isUsed)
        {
            if (!location.TryExpandTo(group.Parent, lgSize))
            {
                return null;
            }

            isUsed = true;
            lgSizeUsed = lgSize;
            return location.Offset << (int)(location.LgSize - lgSize);
        }

        uint newSize = Math.Max(lgSizeUsed, lgSize) + 1;
        if (TryExpandUsage(group, location, newSize, newHoles: true) && holes.TryAllocate(lgSize) is { } result)
        {
            return (location.Offset << (int)(location.LgSize - lgSize)) + result;
        }

        return null;
    }

    public bool TryExpand(GroupLayout group, UnionLayout.DataLocation location, uint oldLgSize, uint oldOffset, uint expansionFactor)
    {
        if (oldOffset == 0 && lgSizeUsed == oldLgSize)
        {
            return TryExpandUsage(group, location, oldLgSize + expansionFactor, newHoles: false);
        }

        return holes.TryExpand(oldLgSize, oldOffset, expansionFactor);
    }

    private bool TryExpandUsage(GroupLayout group, UnionLayout.DataLocation location, uint desiredUsage, bool newHoles)
    {
        if (desiredUsage > location.LgSize && !location.TryExpandTo(group.Parent, desiredUsage))
        {
            return false;
        }

        if (newHoles)
        {
            holes.AddHolesAtEnd(lgSizeUsed, 1, desiredUsage);
        }

        lgSizeUsed = desiredUsage;
        return true;
    }
}
