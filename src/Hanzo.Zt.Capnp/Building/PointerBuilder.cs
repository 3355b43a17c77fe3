using System.Buffers.Binary;
using System.Text;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A pointer slot in a message being built (the root, a struct's pointer field, or a list element). Setting it
/// allocates the target and writes the pointer; a target that does not fit the slot's segment is reached
/// through a far pointer.
/// </summary>
public readonly struct PointerBuilder
{
    /// <summary>The most elements a list can have (the count field has 29 bits).</summary>
    public const int MaxListElements = (1 << 29) - 1;

    private readonly MessageBuilder _message;
    private readonly int _segment;
    private readonly int _byte;

    internal PointerBuilder(MessageBuilder message, int segment, int pointerByte)
    {
        _message = message;
        _segment = segment;
        _byte = pointerByte;
    }

    /// <summary>The message this pointer belongs to.</summary>
    public MessageBuilder Message => _message;

    /// <summary>Points at a deep copy of <paramref name="source"/> (capability pointers keep their cap-table indexes).</summary>
    public void SetStruct(StructReader source) => PointerCopier.CopyStructInto(source, this);

    /// <summary>Points at a new struct with the given section sizes, all fields zero.</summary>
    public StructBuilder InitStruct(int dataWords, int pointerCount)
    {
        CheckSectionSize(dataWords, nameof(dataWords));
        CheckSectionSize(pointerCount, nameof(pointerCount));
        int words = dataWords + pointerCount;
        if (words == 0)
        {
            // A zero-sized struct is not null: its pointer has offset -1 and needs no content.
            Write(_segment, _byte, 0xFFFF_FFFCUL);
            return new StructBuilder(_message, _segment, _byte, 0, _byte, 0);
        }

        int segment = Allocate(words, out int pointerByte, out int word);
        Write(segment, pointerByte, StructPointer(word - (pointerByte / 8 + 1), dataWords, pointerCount));
        return new StructBuilder(_message, segment, word * 8, dataWords * 8, (word + dataWords) * 8, pointerCount);
    }

    /// <summary>Points at a new list of <paramref name="count"/> zero elements of a non-composite size.</summary>
    public ListBuilder InitList(ListElementSize elementSize, int count)
    {
        if (elementSize == ListElementSize.InlineComposite)
        {
            throw new ArgumentException("Use InitStructList for lists of structs.", nameof(elementSize));
        }

        CheckCount(count);
        int bits = ListElementSizes.BitsPerElement(elementSize);
        int words = (int)(((long)count * bits + 63) / 64);
        int segment = Allocate(words, out int pointerByte, out int word);
        Write(segment, pointerByte, ListPointer(word - (pointerByte / 8 + 1), elementSize, count));
        bool isPointer = elementSize == ListElementSize.Pointer;
        return new ListBuilder(_message, segment, word * 8, count, bits, isPointer ? 0 : bits, isPointer ? 1 : 0, elementSize);
    }

    /// <summary>Points at a new composite list of <paramref name="count"/> structs of the given section sizes.</summary>
    public ListBuilder InitStructList(int count, int dataWords, int pointerCount)
    {
        CheckCount(count);
        CheckSectionSize(dataWords, nameof(dataWords));
        CheckSectionSize(pointerCount, nameof(pointerCount));
        long words = (long)count * (dataWords + pointerCount);
        if (words > MaxListElements)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"A list of {words} words exceeds the encoding's limit of {MaxListElements}.");
        }

        int segment = Allocate((int)words + 1, out int pointerByte, out int tag);
        Write(segment, pointerByte, ListPointer(tag - (pointerByte / 8 + 1), ListElementSize.InlineComposite, (int)words));
        Write(segment, tag * 8, StructPointer(count, dataWords, pointerCount));
        int step = (dataWords + pointerCount) * 64;
        return new ListBuilder(_message, segment, (tag + 1) * 8, count, step, dataWords * 64, pointerCount, ListElementSize.InlineComposite);
    }

    /// <summary>Points at new text (UTF-8, NUL-terminated).</summary>
    public void SetText(ReadOnlySpan<char> text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        var list = InitList(ListElementSize.Byte, length + 1);
        Encoding.UTF8.GetBytes(text, list.RawSpan(length));
    }

    /// <summary>Points at new text given as UTF-8 bytes (without terminator).</summary>
    public void SetTextUtf8(ReadOnlySpan<byte> utf8)
    {
        var list = InitList(ListElementSize.Byte, utf8.Length + 1);
        utf8.CopyTo(list.RawSpan(utf8.Length));
    }

    /// <summary>Points at new data bytes.</summary>
    public void SetData(ReadOnlySpan<byte> data)
    {
        var list = InitList(ListElementSize.Byte, data.Length);
        data.CopyTo(list.RawSpan(data.Length));
    }

    /// <summary>Sets a capability pointer to entry <paramref name="index"/> of the message's capability table.</summary>
    public void SetCapability(uint index) => Write(_segment, _byte, 3UL | ((ulong)index << 32));

    /// <summary>Sets the pointer to null (content it pointed at stays in the message, unreachable).</summary>
    public void Clear() => Write(_segment, _byte, 0);

    /// <summary>Copies what <paramref name="source"/> points at (deeply) into this message.</summary>
    public void SetFrom(PointerReader source) => PointerCopier.Copy(source, this, canonical: false);

    /// <summary>True when nothing has been set here (the pointer word is zero).</summary>
    public bool IsNull => BinaryPrimitives.ReadUInt64LittleEndian(_message.Span(_segment).Slice(_byte, 8)) == 0;

    /// <summary>The struct already set here, to change in place.</summary>
    /// <exception cref="CapnpFormatException">The pointer is null or not a struct pointer.</exception>
    public StructBuilder GetStruct()
    {
        ulong pointer = Resolve(out int segment, out int target);
        if ((pointer & 3) != 0 || pointer == 0)
        {
            throw new CapnpFormatException("The pointer does not point at a struct.");
        }

        int dataWords = (ushort)(pointer >> 32);
        int pointerCount = (ushort)(pointer >> 48);
        return new StructBuilder(_message, segment, target * 8, dataWords * 8, (target + dataWords) * 8, pointerCount);
    }

    /// <summary>The list already set here, to change in place.</summary>
    /// <exception cref="CapnpFormatException">The pointer is not a list pointer.</exception>
    public ListBuilder GetList()
    {
        ulong pointer = Resolve(out int segment, out int target);
        if ((pointer & 3) != 1)
        {
            throw new CapnpFormatException("The pointer does not point at a list.");
        }

        var size = (ListElementSize)((pointer >> 32) & 7);
        int count = (int)(pointer >> 35);
        if (size == ListElementSize.InlineComposite)
        {
            ulong tag = BinaryPrimitives.ReadUInt64LittleEndian(_message.Span(segment).Slice(target * 8, 8));
            int elements = (int)((uint)tag >> 2);
            int dataWords = (ushort)(tag >> 32);
            int pointerCount = (ushort)(tag >> 48);
            return new ListBuilder(_message, segment, (target + 1) * 8, elements, (dataWords + pointerCount) * 64, dataWords * 64, pointerCount, size);
        }

        int bits = ListElementSizes.BitsPerElement(size);
        bool isPointer = size == ListElementSize.Pointer;
        return new ListBuilder(_message, segment, target * 8, count, bits, isPointer ? 0 : bits, isPointer ? 1 : 0, size);
    }

    // The pointer word (after a far pointer's landing pad) and the word its offset leads to. Builders only make
    // single far pointers: the landing pad sits right before the content.
    private ulong Resolve(out int segment, out int target)
    {
        segment = _segment;
        int at = _byte / 8;
        ulong pointer = BinaryPrimitives.ReadUInt64LittleEndian(_message.Span(_segment).Slice(_byte, 8));
        if ((pointer & 3) == 2)
        {
            if ((pointer & 4) != 0)
            {
                throw new CapnpFormatException("A double-far pointer cannot be changed in place.");
            }

            segment = (int)(pointer >> 32);
            at = (int)((pointer >> 3) & 0x1FFF_FFFF);
            pointer = BinaryPrimitives.ReadUInt64LittleEndian(_message.Span(segment).Slice(at * 8, 8));
        }

        target = at + 1 + ((int)(uint)pointer >> 2);
        return pointer;
    }

    internal int Segment => _segment;

    internal int Byte => _byte;

    /// <summary>Allocates the target; returns its segment and where the (possibly landing-pad) pointer goes.</summary>
    private int Allocate(int words, out int pointerByte, out int word)
    {
        if (_message.TryAllocate(_segment, words, out word))
        {
            pointerByte = _byte;
            return _segment;
        }

        int segment = _message.AllocateElsewhere(_segment, words + 1, out int pad);
        Write(_segment, _byte, 2UL | ((ulong)pad << 3) | ((ulong)segment << 32));
        pointerByte = pad * 8;
        word = pad + 1;
        return segment;
    }

    private void Write(int segment, int pointerByte, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(_message.Span(segment).Slice(pointerByte, 8), value);

    internal static ulong StructPointer(int offset, int dataWords, int pointerCount) =>
        (uint)(offset << 2) | ((ulong)dataWords << 32) | ((ulong)pointerCount << 48);

    private static ulong ListPointer(int offset, ListElementSize size, int count) =>
        1UL | (uint)(offset << 2) | ((ulong)size << 32) | ((ulong)count << 35);

    private static void CheckSectionSize(int value, string name)
    {
        if ((uint)value > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, "A struct section has 0 to 65535 words.");
        }
    }

    private static void CheckCount(int count)
    {
        if ((uint)count > MaxListElements)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A list has 0 to {MaxListElements} elements.");
        }
    }
}
