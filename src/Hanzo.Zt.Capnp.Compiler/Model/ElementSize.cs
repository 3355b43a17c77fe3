namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>How list elements are encoded (schema.capnp's <c>ElementSize</c>).</summary>
public enum ElementSize
{
    /// <summary>No data, no pointers.</summary>
    Empty = 0,

    /// <summary>One bit.</summary>
    Bit = 1,

    /// <summary>One byte.</summary>
    Byte = 2,

    /// <summary>Two bytes.</summary>
    TwoBytes = 3,

    /// <summary>Four bytes.</summary>
    FourBytes = 4,

    /// <summary>Eight bytes, not a pointer.</summary>
    EightBytes = 5,

    /// <summary>One pointer.</summary>
    Pointer = 6,

    /// <summary>A struct list with a tag word.</summary>
    InlineComposite = 7,
}
