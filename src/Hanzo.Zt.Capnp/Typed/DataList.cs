using System.Collections;

namespace Hanzo.Zt.Capnp;

/// <summary>A typed view of a <c>List(Data)</c> in a received message; elements are read in place.</summary>
public readonly struct DataList(ListReader list) : IReadOnlyList<ReadOnlyMemory<byte>>
{
    /// <summary>The list underneath.</summary>
    public ListReader Raw => list;

    /// <inheritdoc/>
    public int Count => list.Count;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> this[int index] => list.GetPointer(index).GetData();

    /// <inheritdoc/>
    public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Starts a list of <paramref name="values"/> in <paramref name="pointer"/>.</summary>
    public static void Write(PointerBuilder pointer, IReadOnlyList<byte[]> values)
    {
        var list = pointer.InitList(ListElementSize.Pointer, values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            list.GetPointer(i).SetData(values[i]);
        }
    }
}
