using System.Buffers.Binary;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A view of a struct in a received message. Fields are read by offset (in units of the field's size, as the
/// schema compiler assigns them) and XOR-ed with their defaults; fields beyond the struct's sections read as
/// their defaults, which is how older and newer schemas stay compatible. Nothing is copied or allocated.
/// </summary>
public readonly struct StructReader
{
    private readonly MessageReader? _message;
    private readonly int _segment;
    private readonly int _data;
    private readonly int _dataSize;
    private readonly int _pointers;
    private readonly int _pointerCount;
    private readonly int _nesting;

    internal StructReader(MessageReader message, int segment, int dataByte, int dataSize, int pointersByte, int pointerCount, int nesting)
    {
        _message = message;
        _segment = segment;
        _data = dataByte;
        _dataSize = dataSize;
        _pointers = pointersByte;
        _pointerCount = pointerCount;
        _nesting = nesting;
    }

    /// <summary>The message this struct belongs to; null for a default (absent) struct.</summary>
    public MessageReader? Message => _message;

    /// <summary>Size of the data section in bytes.</summary>
    public int DataSize => _dataSize;

    /// <summary>Number of pointers in the pointer section.</summary>
    public int PointerCount => _pointerCount;

    /// <summary>The data section's bytes.</summary>
    public ReadOnlySpan<byte> DataSection => _message is null ? default : _message.Span(_segment).Slice(_data, _dataSize);

    /// <summary>Reads a bool field at bit offset <paramref name="bit"/>.</summary>
    public bool ReadBool(int bit, bool defaultValue = false)
    {
        int index = bit >> 3;
        if ((uint)index >= (uint)_dataSize)
        {
            return defaultValue;
        }

        return (((_message!.Span(_segment)[_data + index] >> (bit & 7)) & 1) != 0) ^ defaultValue;
    }

    /// <summary>Reads a UInt8 field at byte offset <paramref name="index"/>.</summary>
    public byte ReadUInt8(int index, byte defaultValue = 0) =>
        (uint)index < (uint)_dataSize ? (byte)(_message!.Span(_segment)[_data + index] ^ defaultValue) : defaultValue;

    /// <summary>Reads an Int8 field.</summary>
    public sbyte ReadInt8(int index, sbyte defaultValue = 0) => (sbyte)ReadUInt8(index, (byte)defaultValue);

    /// <summary>Reads a UInt16 field at offset <paramref name="index"/> (in 2-byte units).</summary>
    public ushort ReadUInt16(int index, ushort defaultValue = 0)
    {
        int offset = index * 2;
        return (uint)offset + 2 <= (uint)_dataSize
            ? (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_message!.Span(_segment).Slice(_data + offset, 2)) ^ defaultValue)
            : defaultValue;
    }

    /// <summary>Reads an Int16 field.</summary>
    public short ReadInt16(int index, short defaultValue = 0) => (short)ReadUInt16(index, (ushort)defaultValue);

    /// <summary>Reads a UInt32 field at offset <paramref name="index"/> (in 4-byte units).</summary>
    public uint ReadUInt32(int index, uint defaultValue = 0)
    {
        int offset = index * 4;
        return (uint)offset + 4 <= (uint)_dataSize
            ? BinaryPrimitives.ReadUInt32LittleEndian(_message!.Span(_segment).Slice(_data + offset, 4)) ^ defaultValue
            : defaultValue;
    }

    /// <summary>Reads an Int32 field.</summary>
    public int ReadInt32(int index, int defaultValue = 0) => (int)ReadUInt32(index, (uint)defaultValue);

    /// <summary>Reads a UInt64 field at offset <paramref name="index"/> (in 8-byte units).</summary>
    public ulong ReadUInt64(int index, ulong defaultValue = 0)
    {
        int offset = index * 8;
        return (uint)offset + 8 <= (uint)_dataSize
            ? BinaryPrimitives.ReadUInt64LittleEndian(_message!.Span(_segment).Slice(_data + offset, 8)) ^ defaultValue
            : defaultValue;
    }

    /// <summary>Reads an Int64 field.</summary>
    public long ReadInt64(int index, long defaultValue = 0) => (long)ReadUInt64(index, (ulong)defaultValue);

    /// <summary>Reads a Float32 field; the default is XOR-ed by its bit pattern, as the encoding specifies.</summary>
    public float ReadFloat32(int index, float defaultValue = 0) =>
        BitConverter.UInt32BitsToSingle(ReadUInt32(index, BitConverter.SingleToUInt32Bits(defaultValue)));

    /// <summary>Reads a Float64 field.</summary>
    public double ReadFloat64(int index, double defaultValue = 0) =>
        BitConverter.UInt64BitsToDouble(ReadUInt64(index, BitConverter.DoubleToUInt64Bits(defaultValue)));

    /// <summary>The pointer at <paramref name="index"/> of the pointer section; null when beyond it.</summary>
    public PointerReader GetPointer(int index) =>
        (uint)index < (uint)_pointerCount ? new PointerReader(_message!, _segment, _pointers + index * 8, _nesting) : default;

    /// <summary>Reads a struct field.</summary>
    public StructReader ReadStruct(int pointer) => GetPointer(pointer).GetStruct();

    /// <summary>Reads a list field of the given element size.</summary>
    public ListReader ReadList(int pointer, ListElementSize elementSize) => GetPointer(pointer).GetList(elementSize);

    /// <summary>Reads a text field as a string.</summary>
    public string ReadText(int pointer) => GetPointer(pointer).GetText();

    /// <summary>Reads a text field as UTF-8 bytes in place.</summary>
    public ReadOnlySpan<byte> ReadTextUtf8(int pointer) => GetPointer(pointer).GetTextUtf8();

    /// <summary>Reads a data field in place.</summary>
    public ReadOnlyMemory<byte> ReadData(int pointer) => GetPointer(pointer).GetData();

    internal int Segment => _segment;

    internal int DataByte => _data;

    internal int PointersByte => _pointers;

    internal int Nesting => _nesting;
}
