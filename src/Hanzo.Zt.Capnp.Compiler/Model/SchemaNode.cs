namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>
/// A compiled declaration, carrying what schema.capnp's <c>Node</c> carries, so it can be
/// serialized into a <c>CodeGeneratorRequest</c> identical to the reference compiler's.
/// </summary>
public sealed class SchemaNode
{
    internal SchemaNode(SchemaNodeKind kind, ulong id, string displayName, int displayNamePrefixLength, ulong scopeId)
    {
        Kind = kind;
        Id = id;
        DisplayName = displayName;
        DisplayNamePrefixLength = displayNamePrefixLength;
        ScopeId = scopeId;
    }

    /// <summary>Which kind-specific part (<see cref="Struct"/>, <see cref="Enum"/>, ...) is set.</summary>
    public SchemaNodeKind Kind { get; }

    /// <summary>The 64-bit id: explicit <c>@0x...</c> or derived from the parent's id and the name.</summary>
    public ulong Id { get; internal set; }

    /// <summary>The file path and nested name, e.g. <c>foo.capnp:Outer.Inner</c>.</summary>
    public string DisplayName { get; internal set; }

    /// <summary>Length of the <see cref="DisplayName"/> prefix before the node's own name.</summary>
    public int DisplayNamePrefixLength { get; internal set; }

    /// <summary>The node's own (unqualified) name.</summary>
    public string Name => DisplayName.Substring(DisplayNamePrefixLength);

    /// <summary>Id of the enclosing node; 0 for files and method parameter structs.</summary>
    public ulong ScopeId { get; internal set; }

    /// <summary>Names of the generic parameters the node itself declares.</summary>
    public IReadOnlyList<string> Parameters { get; internal set; } = Array.Empty<string>();

    /// <summary>True when the node or any enclosing scope has generic parameters.</summary>
    public bool IsGeneric { get; internal set; }

    /// <summary>Named nested declarations (types, consts, annotations) in declaration order.</summary>
    public IReadOnlyList<NestedNode> NestedNodes { get; internal set; } = Array.Empty<NestedNode>();

    /// <summary>
    /// The <c>using</c> aliases declared in this scope that name a generic struct or interface with arguments
    /// (<c>using TileStore = Store(Tile);</c>), resolved; for generators that name such uses.
    /// </summary>
    public IReadOnlyList<SchemaAlias> Aliases { get; internal set; } = Array.Empty<SchemaAlias>();

    /// <summary>Annotations applied to this declaration.</summary>
    public IReadOnlyList<SchemaAnnotation> Annotations { get; internal set; } = Array.Empty<SchemaAnnotation>();

    /// <summary>Set when <see cref="Kind"/> is <see cref="SchemaNodeKind.Struct"/>.</summary>
    public StructNode? Struct { get; internal set; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="SchemaNodeKind.Enum"/>.</summary>
    public EnumNode? Enum { get; internal set; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="SchemaNodeKind.Interface"/>.</summary>
    public InterfaceNode? Interface { get; internal set; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="SchemaNodeKind.Const"/>.</summary>
    public ConstNode? Const { get; internal set; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="SchemaNodeKind.Annotation"/>.</summary>
    public AnnotationNode? Annotation { get; internal set; }

    /// <summary>The doc comment written after the declaration, or null.</summary>
    public string? DocComment { get; internal set; }

    /// <summary>For files: the path the loader read it from (an import path joined with the import), which
    /// differs from <see cref="DisplayName"/> for files found through import paths.</summary>
    public string? SourcePath { get; internal set; }

    /// <summary>Where the declaration is.</summary>
    public SourceLocation? Location { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"{DisplayName} @0x{Id:x16}";
}
