namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A struct's layout and fields (schema.capnp's <c>Node.struct</c>).</summary>
public sealed class StructNode
{
    /// <summary>Size of the data section in 64-bit words; groups repeat their enclosing struct's.</summary>
    public int DataWordCount { get; internal set; }

    /// <summary>Size of the pointer section; groups repeat their enclosing struct's.</summary>
    public int PointerCount { get; internal set; }

    /// <summary>The reference compiler always chooses <see cref="ElementSize.InlineComposite"/>.</summary>
    public ElementSize PreferredListEncoding { get; internal set; } = ElementSize.InlineComposite;

    /// <summary>True for a group or named union, which shares its parent's storage.</summary>
    public bool IsGroup { get; internal set; }

    /// <summary>Number of members of this scope's union; 0 when it has none.</summary>
    public int DiscriminantCount { get; internal set; }

    /// <summary>Offset of the union's 16-bit discriminant, in units of 16 bits.</summary>
    public int DiscriminantOffset { get; internal set; }

    /// <summary>The fields, sorted by ordinal (a group placed by its first member's ordinal).</summary>
    public IReadOnlyList<SchemaField> Fields { get; internal set; } = Array.Empty<SchemaField>();
}
