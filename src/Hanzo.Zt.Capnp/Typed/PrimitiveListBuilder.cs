using System.Runtime.CompilerServices;

namespace Hanzo.Zt.Capnp;

/// <summary>A typed view of a <c>List(T)</c> of a primitive or enum type being built; elements are set in place.</summary>
public readonly struct PrimitiveListBuilder<T>
    where T : unmanaged
{
    private readonly ListBuilder _list;

    /// <summary>Wraps a list built with <see cref="PrimitiveList{T}.ElementSize"/>.</summary>
    public PrimitiveListBuilder(ListBuilder list) => _list = list;

    /// <summary>The list underneath.</summary>
    public ListBuilder Raw => _list;

    /// <summary>Number of elements.</summary>
    public int Count => _list.Count;

    /// <summary>Sets element <paramref name="index"/>.</summary>
    public T this[int index]
    {
        set
        {
            if (typeof(T) == typeof(bool))
            {
                _list.SetBool(index, Unsafe.As<T, bool>(ref value));
                return;
            }

            switch (Unsafe.SizeOf<T>())
            {
                case 1: _list.SetUInt8(index, Unsafe.As<T, byte>(ref value)); break;
                case 2: _list.SetUInt16(index, Unsafe.As<T, ushort>(ref value)); break;
                case 4: _list.SetUInt32(index, Unsafe.As<T, uint>(ref value)); break;
                default: _list.SetUInt64(index, Unsafe.As<T, ulong>(ref value)); break;
            }
        }
    }

    /// <summary>Starts a list in <paramref name="pointer"/> holding <paramref name="values"/>.</summary>
    public static PrimitiveListBuilder<T> Create(PointerBuilder pointer, ReadOnlySpan<T> values)
    {
        var list = new PrimitiveListBuilder<T>(pointer.InitList(PrimitiveList<T>.ElementSize, values.Length));
        if (typeof(T) != typeof(bool) && Unsafe.SizeOf<T>() is 1 or 2 or 4 or 8 && BitConverter.IsLittleEndian)
        {
            // The wire is little-endian and elements are packed at their own size: one copy writes them all.
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(list._list.RawSpan(values.Length * Unsafe.SizeOf<T>()));
            return list;
        }

        for (int i = 0; i < values.Length; i++)
        {
            list[i] = values[i];
        }

        return list;
    }
}
