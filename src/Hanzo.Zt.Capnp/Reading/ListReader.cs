using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A view of a list in a received message. Elements are read in place by index; struct elements come back as
/// <see cref="StructReader"/>s that share the list's memory.
/// </summary>
public readonly struct ListReader
{
    private readonly MessageReader? _message;
    private readonly int _segment;
    private readonly int _start;
    private readonly int _count;
    private readonly int _step;
    private readonly int _dataBits;
    private readonly int _pointerCount;
    private readonly ListElementSize _size;
    private readonly int _nesting;

    internal ListReader(MessageReader message, int segment, int startByte, int count, int stepBits, int dataBits, int pointerCount, ListElementSize size, int nesting)
    {
        _message = message;
        _segment = segment;
        _start = startByte;
        _count = count;
        _step = stepBits;
        _dataBits = dataBits;
        _pointerCount = pointerCount;
        _size = size;
        _nesting = nesting;
    }

    /// <summary>Number of elements.</summary>
    public int Count => _count;

    /// <summary>How the list is encoded.</summary>
    public ListElementSize ElementSize => _size;

    /// <summary>For composite lists, each element's data section size in bytes; otherwise the element's data size.</summary>
    public int StructDataSize => _dataBits / 8;

    /// <summary>For composite lists, each element's pointer count.</summary>
    public int StructPointerCount => _pointerCount;

    /// <summary>The message this list belongs to; null for an absent list.</summary>
    public MessageReader? Message => _message;

    /// <summary>Reads element <paramref name="index"/> of a List(Bool).</summary>
    public bool GetBool(int index)
    {
        long bit = Position(index);
        return _dataBits >= 1 && ((_message!.Span(_segment)[_start + (int)(bit >> 3)] >> (int)(bit & 7)) & 1) != 0;
    }

    /// <summary>Reads a UInt8 element.</summary>
    public byte GetUInt8(int index)
    {
        long bit = Position(index);
        return _dataBits >= 8 ? _message!.Span(_segment)[_start + (int)(bit >> 3)] : (byte)0;
    }

    /// <summary>Reads an Int8 element.</summary>
    public sbyte GetInt8(int index) => (sbyte)GetUInt8(index);

    /// <summary>Reads a UInt16 element.</summary>
    public ushort GetUInt16(int index)
    {
        long bit = Position(index);
        return _dataBits >= 16 ? BinaryPrimitives.ReadUInt16LittleEndian(_message!.Span(_segment).Slice(_start + (int)(bit >> 3), 2)) : (ushort)0;
    }

    /// <summary>Reads an Int16 element.</summary>
    public short GetInt16(int index) => (short)GetUInt16(index);

    /// <summary>Reads a UInt32 element.</summary>
    public uint GetUInt32(int index)
    {
        long bit = Position(index);
        return _dataBits >= 32 ? BinaryPrimitives.ReadUInt32LittleEndian(_message!.Span(_segment).Slice(_start + (int)(bit >> 3), 4)) : 0;
    }

    /// <summary>Reads an Int32 element.</summary>
    public int GetInt32(int index) => (int)GetUInt32(index);

    /// <summary>Reads a UInt64 element.</summary>
    public ulong GetUInt64(int index)
    {
        long bit = Position(index);
        return _dataBits >= 64 ? BinaryPrimitives.ReadUInt64LittleEndian(_message!.Span(_segment).Slice(_start + (int)(bit >> 3), 8)) : 0;
    }

    /// <summary>Reads an Int64 element.</summary>
    public long GetInt64(int index) => (long)GetUInt64(index);

    /// <summary>Reads a Float32 element.</summary>
    public float GetFloat32(int index) => BitConverter.UInt32BitsToSingle(GetUInt32(index));

    /// <summary>Reads a Float64 element.</summary>
    public double GetFloat64(int index) => BitConverter.UInt64BitsToDouble(GetUInt64(index));

    /// <summary>Reads a struct element.</summary>
    public StructReader GetStruct(int index)
    {
        long bit = Position(index);
        int data = _start + (int)(bit >> 3);
        return new StructReader(_message!, _segment, data, _dataBits >> 3, data + (_dataBits >> 3), _pointerCount, _nesting);
    }

    /// <summary>The pointer of element <paramref name="index"/> (a List(Text), List(List(...)) or the first pointer of a struct element).</summary>
    public PointerReader GetPointer(int index)
    {
        long bit = Position(index);
        return _pointerCount == 0 ? default : new PointerReader(_message!, _segment, _start + (int)(bit >> 3) + (_dataBits >> 3), _nesting);
    }

    /// <summary>Reads a text element.</summary>
    public string GetText(int index) => GetPointer(index).GetText();

    private long Position(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {_count} elements.");
        }

        return (long)index * _step;
    }

    internal ReadOnlySpan<byte> RawBytes(int length) => _message!.Span(_segment).Slice(_start, length);

    internal ReadOnlyMemory<byte> RawMemory(int length) => _message!.Memory(_segment).Slice(_start, length);

    internal void CheckCompatible(ListElementSize expected)
    {
        if (_count == 0 && _size != ListElementSize.InlineComposite)
        {
            return;
        }

        bool ok = expected switch
        {
            ListElementSize.Void => true,
            ListElementSize.Bit => _size == ListElementSize.Bit,
            ListElementSize.Pointer => _size == ListElementSize.Pointer || (_size == ListElementSize.InlineComposite && _pointerCount > 0),
            ListElementSize.InlineComposite => _size != ListElementSize.Bit,
            _ => _size == expected || (_size == ListElementSize.InlineComposite && _dataBits >= ListElementSizes.BitsPerElement(expected)),
        };
        if (!ok)
        {
            throw new CapnpFormatException($"Schema mismatch: expected a list of {expected} elements, found a list of {_size} elements.");
        }
    }
}
