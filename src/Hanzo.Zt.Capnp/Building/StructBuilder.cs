using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A struct in a message being built. Fields are written by offset (in units of the field's size) and XOR-ed
/// with their defaults, so a field set to its default is stored as zero.
/// </summary>
public readonly struct StructBuilder
{
    private readonly MessageBuilder _message;
    private readonly int _segment;
    private readonly int _data;
    private readonly int _dataSize;
    private readonly int _pointers;
    private readonly int _pointerCount;

    internal StructBuilder(MessageBuilder message, int segment, int dataByte, int dataSize, int pointersByte, int pointerCount)
    {
        _message = message;
        _segment = segment;
        _data = dataByte;
        _dataSize = dataSize;
        _pointers = pointersByte;
        _pointerCount = pointerCount;
    }

    /// <summary>The message this struct belongs to.</summary>
    public MessageBuilder Message => _message;

    /// <summary>Size of the data section in bytes.</summary>
    public int DataSize => _dataSize;

    /// <summary>Number of pointers.</summary>
    public int PointerCount => _pointerCount;

    /// <summary>The data section, writable.</summary>
    public Span<byte> DataSection => _message.Span(_segment).Slice(_data, _dataSize);

    /// <summary>Writes a bool at bit offset <paramref name="bit"/>.</summary>
    public void WriteBool(int bit, bool value, bool defaultValue = false)
    {
        ref byte b = ref Data(bit >> 3, 1)[0];
        int mask = 1 << (bit & 7);
        b = (byte)((value ^ defaultValue) ? b | mask : b & ~mask);
    }

    /// <summary>Writes a UInt8 at byte offset <paramref name="index"/>.</summary>
    public void WriteUInt8(int index, byte value, byte defaultValue = 0) => Data(index, 1)[0] = (byte)(value ^ defaultValue);

    /// <summary>Writes an Int8.</summary>
    public void WriteInt8(int index, sbyte value, sbyte defaultValue = 0) => WriteUInt8(index, (byte)value, (byte)defaultValue);

    /// <summary>Writes a UInt16 at offset <paramref name="index"/> (in 2-byte units).</summary>
    public void WriteUInt16(int index, ushort value, ushort defaultValue = 0) =>
        BinaryPrimitives.WriteUInt16LittleEndian(Data(index * 2, 2), (ushort)(value ^ defaultValue));

    /// <summary>Writes an Int16.</summary>
    public void WriteInt16(int index, short value, short defaultValue = 0) => WriteUInt16(index, (ushort)value, (ushort)defaultValue);

    /// <summary>Writes a UInt32 at offset <paramref name="index"/> (in 4-byte units).</summary>
    public void WriteUInt32(int index, uint value, uint defaultValue = 0) =>
        BinaryPrimitives.WriteUInt32LittleEndian(Data(index * 4, 4), value ^ defaultValue);

    /// <summary>Writes an Int32.</summary>
    public void WriteInt32(int index, int value, int defaultValue = 0) => WriteUInt32(index, (uint)value, (uint)defaultValue);

    /// <summary>Writes a UInt64 at offset <paramref name="index"/> (in 8-byte units).</summary>
    public void WriteUInt64(int index, ulong value, ulong defaultValue = 0) =>
        BinaryPrimitives.WriteUInt64LittleEndian(Data(index * 8, 8), value ^ defaultValue);

    /// <summary>Writes an Int64.</summary>
    public void WriteInt64(int index, long value, long defaultValue = 0) => WriteUInt64(index, (ulong)value, (ulong)defaultValue);

    /// <summary>Writes a Float32; the default is XOR-ed by its bit pattern.</summary>
    public void WriteFloat32(int index, float value, float defaultValue = 0) =>
        WriteUInt32(index, BitConverter.SingleToUInt32Bits(value), BitConverter.SingleToUInt32Bits(defaultValue));

    /// <summary>Writes a Float64.</summary>
    public void WriteFloat64(int index, double value, double defaultValue = 0) =>
        WriteUInt64(index, BitConverter.DoubleToUInt64Bits(value), BitConverter.DoubleToUInt64Bits(defaultValue));

    /// <summary>The pointer slot at <paramref name="index"/>.</summary>
    public PointerBuilder GetPointer(int index)
    {
        if ((uint)index >= (uint)_pointerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The struct has {_pointerCount} pointers.");
        }

        return new PointerBuilder(_message, _segment, _pointers + index * 8);
    }

    /// <summary>Starts a struct in pointer field <paramref name="pointer"/>.</summary>
    public StructBuilder InitStruct(int pointer, int dataWords, int pointerCount) => GetPointer(pointer).InitStruct(dataWords, pointerCount);

    /// <summary>Starts a list in pointer field <paramref name="pointer"/>.</summary>
    public ListBuilder InitList(int pointer, ListElementSize elementSize, int count) => GetPointer(pointer).InitList(elementSize, count);

    /// <summary>Starts a list of structs in pointer field <paramref name="pointer"/>.</summary>
    public ListBuilder InitStructList(int pointer, int count, int dataWords, int pointerCount) =>
        GetPointer(pointer).InitStructList(count, dataWords, pointerCount);

    /// <summary>Sets a text field.</summary>
    public void WriteText(int pointer, ReadOnlySpan<char> text) => GetPointer(pointer).SetText(text);

    /// <summary>Sets a data field.</summary>
    public void WriteData(int pointer, ReadOnlySpan<byte> data) => GetPointer(pointer).SetData(data);

    private Span<byte> Data(int offset, int length)
    {
        if ((uint)offset + (uint)length > (uint)_dataSize)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The struct's data section has {_dataSize} bytes.");
        }

        return _message.Span(_segment).Slice(_data + offset, length);
    }
}
