using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>A list in a message being built; elements are set in place by index.</summary>
public readonly struct ListBuilder
{
    private readonly MessageBuilder _message;
    private readonly int _segment;
    private readonly int _start;
    private readonly int _count;
    private readonly int _step;
    private readonly int _dataBits;
    private readonly int _pointerCount;
    private readonly ListElementSize _size;

    internal ListBuilder(MessageBuilder message, int segment, int startByte, int count, int stepBits, int dataBits, int pointerCount, ListElementSize size)
    {
        _message = message;
        _segment = segment;
        _start = startByte;
        _count = count;
        _step = stepBits;
        _dataBits = dataBits;
        _pointerCount = pointerCount;
        _size = size;
    }

    /// <summary>Number of elements.</summary>
    public int Count => _count;

    /// <summary>How the list is encoded.</summary>
    public ListElementSize ElementSize => _size;

    /// <summary>Sets element <paramref name="index"/> of a List(Bool).</summary>
    public void SetBool(int index, bool value)
    {
        long bit = Position(index, 1);
        ref byte b = ref _message.Span(_segment)[_start + (int)(bit >> 3)];
        int mask = 1 << (int)(bit & 7);
        b = (byte)(value ? b | mask : b & ~mask);
    }

    /// <summary>Sets a UInt8 element.</summary>
    public void SetUInt8(int index, byte value) => Element(index, 1)[0] = value;

    /// <summary>Sets an Int8 element.</summary>
    public void SetInt8(int index, sbyte value) => SetUInt8(index, (byte)value);

    /// <summary>Sets a UInt16 element.</summary>
    public void SetUInt16(int index, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Element(index, 2), value);

    /// <summary>Sets an Int16 element.</summary>
    public void SetInt16(int index, short value) => SetUInt16(index, (ushort)value);

    /// <summary>Sets a UInt32 element.</summary>
    public void SetUInt32(int index, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Element(index, 4), value);

    /// <summary>Sets an Int32 element.</summary>
    public void SetInt32(int index, int value) => SetUInt32(index, (uint)value);

    /// <summary>Sets a UInt64 element.</summary>
    public void SetUInt64(int index, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Element(index, 8), value);

    /// <summary>Sets an Int64 element.</summary>
    public void SetInt64(int index, long value) => SetUInt64(index, (ulong)value);

    /// <summary>Sets a Float32 element.</summary>
    public void SetFloat32(int index, float value) => SetUInt32(index, BitConverter.SingleToUInt32Bits(value));

    /// <summary>Sets a Float64 element.</summary>
    public void SetFloat64(int index, double value) => SetUInt64(index, BitConverter.DoubleToUInt64Bits(value));

    /// <summary>The struct element at <paramref name="index"/> of a composite list.</summary>
    public StructBuilder GetStruct(int index)
    {
        if (_size != ListElementSize.InlineComposite)
        {
            throw new InvalidOperationException($"A list of {_size} elements has no struct elements.");
        }

        long bit = Position(index, 0);
        int data = _start + (int)(bit >> 3);
        return new StructBuilder(_message, _segment, data, _dataBits >> 3, data + (_dataBits >> 3), _pointerCount);
    }

    /// <summary>The pointer slot of element <paramref name="index"/> of a List(Pointer).</summary>
    public PointerBuilder GetPointer(int index)
    {
        if (_size != ListElementSize.Pointer)
        {
            throw new InvalidOperationException($"A list of {_size} elements has no pointer elements.");
        }

        return new PointerBuilder(_message, _segment, _start + (int)(Position(index, 0) >> 3));
    }

    internal Span<byte> RawSpan(int length) => _message.Span(_segment).Slice(_start, length);

    private Span<byte> Element(int index, int bytes)
    {
        long bit = Position(index, bytes * 8);
        return _message.Span(_segment).Slice(_start + (int)(bit >> 3), bytes);
    }

    private long Position(int index, int bits)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {_count} elements.");
        }

        if (bits > _dataBits)
        {
            throw new InvalidOperationException($"A list of {_size} elements has no room for {bits}-bit values.");
        }

        return (long)index * _step;
    }
}
