using System.Collections;

namespace Hanzo.Zt.Capnp;

/// <summary>A typed view of a <c>List(Text)</c> in a received message.</summary>
public readonly struct TextList(ListReader list) : IReadOnlyList<string>
{
    /// <summary>The list underneath.</summary>
    public ListReader Raw => list;

    /// <inheritdoc/>
    public int Count => list.Count;

    /// <inheritdoc/>
    public string this[int index] => list.GetPointer(index).GetText();

    /// <summary>Element <paramref name="index"/> as UTF-8 bytes, in place.</summary>
    public ReadOnlySpan<byte> GetUtf8(int index) => list.GetPointer(index).GetTextUtf8();

    /// <summary>Copies the elements into a new array.</summary>
    public string[] ToArray()
    {
        var result = new string[Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = this[i];
        }

        return result;
    }

    /// <inheritdoc/>
    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Starts a list of <paramref name="values"/> in <paramref name="pointer"/>.</summary>
    public static void Write(PointerBuilder pointer, IReadOnlyList<string> values)
    {
        var list = pointer.InitList(ListElementSize.Pointer, values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            list.GetPointer(i).SetText(values[i]);
        }
    }
}
