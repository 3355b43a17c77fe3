using System.Collections;
using System.Runtime.CompilerServices;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A typed, zero-copy view of a <c>List(T)</c> of a primitive type (bool, integers, floats) or of an enum
/// (whose elements are 16-bit). Elements are read in place.
/// </summary>
public readonly struct PrimitiveList<T> : IReadOnlyList<T>
    where T : unmanaged
{
    private readonly ListReader _list;

    /// <summary>Wraps a list read with <see cref="ElementSize"/>.</summary>
    public PrimitiveList(ListReader list) => _list = list;

    /// <summary>The element size lists of <typeparamref name="T"/> have on the wire.</summary>
    public static ListElementSize ElementSize =>
        typeof(T) == typeof(bool) ? ListElementSize.Bit
        : Unsafe.SizeOf<T>() switch
        {
            1 => ListElementSize.Byte,
            2 => ListElementSize.TwoBytes,
            4 => ListElementSize.FourBytes,
            _ => ListElementSize.EightBytes,
        };

    /// <summary>The list underneath.</summary>
    public ListReader Raw => _list;

    /// <inheritdoc/>
    public int Count => _list.Count;

    /// <inheritdoc/>
    public T this[int index]
    {
        get
        {
            if (typeof(T) == typeof(bool))
            {
                bool b = _list.GetBool(index);
                return Unsafe.As<bool, T>(ref b);
            }

            switch (Unsafe.SizeOf<T>())
            {
                case 1:
                    byte u8 = _list.GetUInt8(index);
                    return Unsafe.As<byte, T>(ref u8);
                case 2:
                    ushort u16 = _list.GetUInt16(index);
                    return Unsafe.As<ushort, T>(ref u16);
                case 4:
                    uint u32 = _list.GetUInt32(index);
                    return Unsafe.As<uint, T>(ref u32);
                default:
                    ulong u64 = _list.GetUInt64(index);
                    return Unsafe.As<ulong, T>(ref u64);
            }
        }
    }

    /// <summary>Copies the elements into a new array.</summary>
    public T[] ToArray()
    {
        var result = new T[Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = this[i];
        }

        return result;
    }

    /// <summary>Enumerates the elements without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates a <see cref="PrimitiveList{T}"/>.</summary>
    public struct Enumerator(PrimitiveList<T> list) : IEnumerator<T>
    {
        private int _index = -1;

        /// <inheritdoc/>
        public readonly T Current => list[_index];

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext() => ++_index < list.Count;

        /// <inheritdoc/>
        public void Reset() => _index = -1;

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }
}
