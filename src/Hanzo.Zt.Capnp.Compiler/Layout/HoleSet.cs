namespace Hanzo.Zt.Capnp.Compiler.Layout;

/// <summary>
/// Free space left in a data section by alignment: at most one hole of each power-of-two size
/// (1 bit to 32 bits). holes[n] is the offset, in units of 2^n bits, of the free slot of that size, or 0.
/// </summary>
internal sealed class HoleSet
{
    public const int Sizes = 6;

    private readonly uint[] holes = new uint[Sizes];

    public uint? TryAllocate(uint lgSize)
    {
        if (lgSize >= Sizes)
        {
            return null;
        }

        if (holes[lgSize] != 0)
        {
            uint result = holes[lgSize];
            holes[lgSize] = 0;
            return result;
        }

        // Split the next larger hole: use its first half, keep the second as a hole of this size.
        if (TryAllocate(lgSize + 1) is { } next)
        {
            uint result = next * 2;
            holes[lgSize] = result + 1;
            return result;
        }

        return null;
    }

    /// <summary>After placing something of size 2^lgSize at offset-1, records the trailing space up to limit as holes.</summary>
    public void AddHolesAtEnd(uint lgSize, uint offset, uint limitLgSize = Sizes)
    {
        while (lgSize < limitLgSize)
        {
            holes[lgSize] = offset;
            ++lgSize;
            offset = (offset + 1) / 2;
        }
    }

    /// <summary>Grows the item at oldOffset in place by 2^expansionFactor if the space after it is free.</summary>
    public bool TryExpand(uint oldLgSize, uint oldOffset, uint expansionFactor)
    {
        if (expansionFactor == 0)
        {
            return true;
        }

        if (oldLgSize == Sizes || holes[oldLgSize] != oldOffset + 1)
        {
            return false;
        }

        if (TryExpand(oldLgSize + 1, oldOffset >> 1, expansionFactor - 1))
        {
            holes[oldLgSize] = 0;
            return true;
        }

        return false;
    }

    public uint? SmallestAtLeast(uint size)
    {
        for (uint i = size; i < Sizes; i++)
        {
            if (holes[i] != 0)
            {
                return i;
            }
        }

        return null;
    }
}
