namespace Hanzo.Zt.Capnp;

/// <summary>The element size code of a list pointer (the encoding's 3-bit <c>C</c> field).</summary>
public enum ListElementSize
{
    /// <summary>Elements take no space (List(Void)).</summary>
    Void = 0,

    /// <summary>One bit per element (List(Bool)).</summary>
    Bit = 1,

    /// <summary>One byte per element.</summary>
    Byte = 2,

    /// <summary>Two bytes per element.</summary>
    TwoBytes = 3,

    /// <summary>Four bytes per element.</summary>
    FourBytes = 4,

    /// <summary>Eight bytes per element, not a pointer.</summary>
    EightBytes = 5,

    /// <summary>One pointer per element.</summary>
    Pointer = 6,

    /// <summary>Structs, preceded by a tag word giving their size (a composite list).</summary>
    InlineComposite = 7,
}

/// <summary>Sizes of the list element codes.</summary>
public static class ListElementSizes
{
    /// <summary>Bits per element for a non-composite element size.</summary>
    public static int BitsPerElement(ListElementSize size) => size switch
    {
        ListElementSize.Void => 0,
        ListElementSize.Bit => 1,
        ListElementSize.Byte => 8,
        ListElementSize.TwoBytes => 16,
        ListElementSize.FourBytes => 32,
        ListElementSize.EightBytes => 64,
        ListElementSize.Pointer => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Composite lists have no fixed element size."),
    };
}
