namespace Hanzo.Zt.Capnp;

/// <summary>
/// Deep copies between messages. In canonical mode the copy is the encoding's canonical form: data sections
/// lose trailing zero words, pointer sections trailing null pointers, and children follow their parent in
/// pre-order (when the target is a single segment).
/// </summary>
internal static class PointerCopier
{
    public static void Copy(PointerReader source, PointerBuilder target, bool canonical)
    {
        switch (source.Kind)
        {
            case PointerKind.Null:
                target.Clear();
                break;
            case PointerKind.Capability:
                target.SetCapability(source.GetCapabilityIndex()!.Value);
                break;
            case PointerKind.Struct:
                CopyStruct(source.GetStruct(), target, canonical);
                break;
            default:
                CopyList(source.GetList(), target, canonical);
                break;
        }
    }

    public static void CopyStructInto(StructReader source, PointerBuilder target)
    {
        if (source.Message is null)
        {
            target.Clear();
            return;
        }

        CopyStruct(source, target, canonical: false);
    }

    private static void CopyStruct(StructReader source, PointerBuilder target, bool canonical)
    {
        var data = source.DataSection;
        int pointers = source.PointerCount;
        if (canonical)
        {
            data = TrimData(data);
            pointers = TrimPointers(source);
        }

        var copy = target.InitStruct((data.Length + 7) / 8, pointers);
        FillStruct(source, copy, data, pointers, canonical);
    }

    private static void FillStruct(StructReader source, StructBuilder target, ReadOnlySpan<byte> data, int pointers, bool canonical)
    {
        data.CopyTo(target.DataSection);
        for (int i = 0; i < pointers; i++)
        {
            Copy(source.GetPointer(i), target.GetPointer(i), canonical);
        }
    }

    private static void CopyList(ListReader source, PointerBuilder target, bool canonical)
    {
        int count = source.Count;
        switch (source.ElementSize)
        {
            case ListElementSize.InlineComposite:
            {
                int dataBytes = source.StructDataSize;
                int pointers = source.StructPointerCount;
                if (canonical)
                {
                    dataBytes = 0;
                    pointers = 0;
                    for (int i = 0; i < count; i++)
                    {
                        var element = source.GetStruct(i);
                        dataBytes = Math.Max(dataBytes, TrimData(element.DataSection).Length);
                        pointers = Math.Max(pointers, TrimPointers(element));
                    }
                }

                var list = target.InitStructList(count, (dataBytes + 7) / 8, pointers);
                for (int i = 0; i < count; i++)
                {
                    var element = source.GetStruct(i);
                    var data = element.DataSection;
                    FillStruct(element, list.GetStruct(i), data[..Math.Min(data.Length, dataBytes)], Math.Min(pointers, element.PointerCount), canonical);
                }

                break;
            }

            case ListElementSize.Pointer:
            {
                var list = target.InitList(ListElementSize.Pointer, count);
                for (int i = 0; i < count; i++)
                {
                    Copy(source.GetPointer(i), list.GetPointer(i), canonical);
                }

                break;
            }

            case ListElementSize.Bit:
            {
                var list = target.InitList(ListElementSize.Bit, count);
                for (int i = 0; i < count; i++)
                {
                    list.SetBool(i, source.GetBool(i));
                }

                break;
            }

            default:
            {
                var list = target.InitList(source.ElementSize, count);
                int bytes = count * (ListElementSizes.BitsPerElement(source.ElementSize) / 8);
                source.RawBytes(bytes).CopyTo(list.RawSpan(bytes));
                break;
            }
        }
    }

    private static ReadOnlySpan<byte> TrimData(ReadOnlySpan<byte> data)
    {
        int last = data.LastIndexOfAnyExcept((byte)0);
        return last < 0 ? default : data[..Math.Min(data.Length, (last / 8 + 1) * 8)];
    }

    private static int TrimPointers(StructReader source)
    {
        int pointers = source.PointerCount;
        while (pointers > 0 && source.GetPointer(pointers - 1).IsNull)
        {
            pointers--;
        }

        return pointers;
    }
}
