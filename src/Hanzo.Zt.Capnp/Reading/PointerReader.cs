using System.Buffers.Binary;
using System.Text;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// A view of one pointer in a received message (a struct's pointer field, a list element, or the root). It
/// can be read as whichever kind the schema expects; a mismatch is a <see cref="CapnpFormatException"/>.
/// </summary>
public readonly struct PointerReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MessageReader? _message;
    private readonly int _segment;
    private readonly int _byte;
    private readonly int _nesting;

    internal PointerReader(MessageReader message, int segment, int pointerByte, int nesting)
    {
        _message = message;
        _segment = segment;
        _byte = pointerByte;
        _nesting = nesting;
    }

    /// <summary>The message this pointer belongs to, or null for an absent pointer.</summary>
    public MessageReader? Message => _message;

    /// <summary>Whether the pointer is null (or absent because the struct is smaller than the schema).</summary>
    public bool IsNull => _message is null || RawWord == 0;

    /// <summary>What the pointer points at, following far pointers.</summary>
    public PointerKind Kind
    {
        get
        {
            if (_message is null)
            {
                return PointerKind.Null;
            }

            ulong tag = _message.Resolve(_segment, _byte, out _, out _);
            return tag == 0 ? PointerKind.Null : ((int)tag & 3) switch
            {
                0 => PointerKind.Struct,
                1 => PointerKind.List,
                _ => PointerKind.Capability,
            };
        }
    }

    private ulong RawWord => BinaryPrimitives.ReadUInt64LittleEndian(_message!.Span(_segment).Slice(_byte, 8));

    /// <summary>Reads a struct; a null pointer reads as a struct whose fields all have their defaults.</summary>
    public StructReader GetStruct()
    {
        if (!TryFollow(out ulong tag, out int segment, out int word))
        {
            return default;
        }

        if (((int)tag & 3) != 0)
        {
            throw new CapnpFormatException($"Expected a struct pointer, found {MessageReader.Describe(tag)}.");
        }

        int dataWords = (ushort)(tag >> 32);
        int pointers = (ushort)(tag >> 48);
        _message.CheckBounds(segment, word, dataWords + pointers, "Struct");
        _message.ChargeTraversal(dataWords + pointers);
        return new StructReader(_message, segment, word * 8, dataWords * 8, (word + dataWords) * 8, pointers, _nesting - 1);
    }

    /// <summary>Reads a list of any element size; a null pointer reads as an empty list.</summary>
    public ListReader GetList() => ReadList(expected: null);

    /// <summary>
    /// Reads a list whose elements the schema says have <paramref name="expected"/> size. Compatible encodings are
    /// accepted as the reference does (a struct list where primitives are expected reads each struct's first
    /// field; a primitive list where structs are expected reads as structs of that one field).
    /// </summary>
    public ListReader GetList(ListElementSize expected) => ReadList(expected);

    /// <summary>Reads text as its UTF-8 bytes, without the NUL terminator; null reads as empty.</summary>
    public ReadOnlySpan<byte> GetTextUtf8()
    {
        var list = ReadList(ListElementSize.Byte);
        if (list.Count == 0)
        {
            if (!IsNull)
            {
                throw new CapnpFormatException("Text is not NUL-terminated (it has no bytes at all).");
            }

            return default;
        }

        var bytes = list.RawBytes(list.Count);
        if (bytes[^1] != 0)
        {
            throw new CapnpFormatException("Text is not NUL-terminated.");
        }

        return bytes[..^1];
    }

    /// <summary>Reads text as a string; null reads as the empty string.</summary>
    /// <exception cref="CapnpFormatException">The text is not NUL-terminated or is not valid UTF-8.</exception>
    public string GetText()
    {
        var utf8 = GetTextUtf8();
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new CapnpFormatException("Text is not valid UTF-8.", e);
        }
    }

    /// <summary>Reads data bytes in place; null reads as empty.</summary>
    public ReadOnlyMemory<byte> GetData()
    {
        var list = ReadList(ListElementSize.Byte);
        return list.Count == 0 ? ReadOnlyMemory<byte>.Empty : list.RawMemory(list.Count);
    }

    /// <summary>Reads a capability pointer's index into the message's capability table; null when the pointer is null.</summary>
    public uint? GetCapabilityIndex()
    {
        if (_message is null)
        {
            return null;
        }

        ulong tag = _message.Resolve(_segment, _byte, out _, out _);
        if (tag == 0)
        {
            return null;
        }

        if (((int)tag & 3) != 3)
        {
            throw new CapnpFormatException($"Expected a capability pointer, found {MessageReader.Describe(tag)}.");
        }

        if ((uint)tag >> 2 != 0)
        {
            throw new CapnpFormatException("Unknown kind of 'other' pointer: only capability pointers (type 0) are defined.");
        }

        return (uint)(tag >> 32);
    }

    /// <summary>Follows a non-null pointer to its content, one nesting level deeper; false for null.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(_message))]
    private readonly bool TryFollow(out ulong tag, out int segment, out int word)
    {
        segment = 0;
        word = 0;
        tag = 0;
        if (_message is null || (tag = _message.Resolve(_segment, _byte, out segment, out word)) == 0)
        {
            return false;
        }

        MessageReader.CheckNesting(_nesting);
        return true;
    }

    private ListReader ReadList(ListElementSize? expected)
    {
        if (!TryFollow(out ulong tag, out int segment, out int word))
        {
            return default;
        }

        if (((int)tag & 3) != 1)
        {
            throw new CapnpFormatException($"Expected a list pointer, found {MessageReader.Describe(tag)}.");
        }

        var size = (ListElementSize)((int)(tag >> 32) & 7);
        int count = (int)(tag >> 35);
        ListReader list;
        if (size == ListElementSize.InlineComposite)
        {
            long words = count;
            _message.CheckBounds(segment, word, words + 1, "Composite list");
            ulong element = BinaryPrimitives.ReadUInt64LittleEndian(_message.Span(segment).Slice(word * 8, 8));
            if (((int)element & 3) != 0)
            {
                throw new CapnpFormatException("A composite list's tag word is not a struct pointer.");
            }

            int elements = (int)((uint)element >> 2);
            int dataWords = (ushort)(element >> 32);
            int pointers = (ushort)(element >> 48);
            long perElement = dataWords + pointers;
            if (elements * perElement > words)
            {
                throw new CapnpFormatException(
                    $"A composite list's {elements} elements of {perElement} words overrun its {words} words.");
            }

            // Zero-sized elements cost nothing to send but something to visit: count each one.
            _message.ChargeTraversal(perElement == 0 ? elements : words + 1);
            list = new ListReader(_message, segment, (word + 1) * 8, elements, (int)(perElement * 64), dataWords * 64, pointers, size, _nesting - 1);
        }
        else
        {
            int bits = ListElementSizes.BitsPerElement(size);
            long words = ((long)count * bits + 63) / 64;
            _message.CheckBounds(segment, word, words, "List");
            _message.ChargeTraversal(size == ListElementSize.Void ? count : words);
            bool isPointer = size == ListElementSize.Pointer;
            list = new ListReader(_message, segment, word * 8, count, bits, isPointer ? 0 : bits, isPointer ? 1 : 0, size, _nesting - 1);
        }

        if (expected is { } wanted)
        {
            list.CheckCompatible(wanted);
        }

        return list;
    }
}
