namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A field, constant or parameter type (schema.capnp's <c>Type</c>).</summary>
public sealed class SchemaType
{
    private SchemaType(TypeKind kind) => Kind = kind;

    /// <summary>Void.</summary>
    public static SchemaType Void { get; } = new(TypeKind.Void);

    /// <summary>The kind of type.</summary>
    public TypeKind Kind { get; private set; }

    /// <summary>For <see cref="TypeKind.List"/>: the element type.</summary>
    public SchemaType? ElementType { get; private set; }

    /// <summary>For enums, structs and interfaces: the node id.</summary>
    public ulong TypeId { get; private set; }

    /// <summary>For structs and interfaces: the generic arguments.</summary>
    public SchemaBrand Brand { get; private set; } = SchemaBrand.Empty;

    /// <summary>For <see cref="TypeKind.AnyPointer"/>: which variant.</summary>
    public AnyPointerKind AnyPointerKind { get; private set; }

    /// <summary>For a generic parameter: the id of the struct or interface declaring it.</summary>
    public ulong ParameterScopeId { get; private set; }

    /// <summary>For a generic parameter: its index in the declaring scope's (or method's) parameter list.</summary>
    public int ParameterIndex { get; private set; }

    /// <summary>True for types stored in the pointer section.</summary>
    public bool IsPointer => Kind >= TypeKind.Text && Kind != TypeKind.Enum;

    /// <summary>log2 of the data size in bits; -1 for Void, null for pointer types.</summary>
    internal int? DataLgSize => Kind switch
    {
        TypeKind.Void => -1,
        TypeKind.Bool => 0,
        TypeKind.Int8 or TypeKind.UInt8 => 3,
        TypeKind.Int16 or TypeKind.UInt16 or TypeKind.Enum => 4,
        TypeKind.Int32 or TypeKind.UInt32 or TypeKind.Float32 => 5,
        TypeKind.Int64 or TypeKind.UInt64 or TypeKind.Float64 => 6,
        _ => null,
    };

    internal static SchemaType Primitive(TypeKind kind) => kind == TypeKind.Void ? Void : new SchemaType(kind);

    internal static SchemaType List(SchemaType element) => new(TypeKind.List) { ElementType = element };

    internal static SchemaType Named(TypeKind kind, ulong id, SchemaBrand brand) => new(kind) { TypeId = id, Brand = brand };

    internal static SchemaType AnyPointer(AnyPointerKind kind) => new(TypeKind.AnyPointer) { AnyPointerKind = kind };

    internal static SchemaType Parameter(ulong scopeId, int index) =>
        new(TypeKind.AnyPointer) { AnyPointerKind = AnyPointerKind.Parameter, ParameterScopeId = scopeId, ParameterIndex = index };

    internal static SchemaType ImplicitParameter(int index) =>
        new(TypeKind.AnyPointer) { AnyPointerKind = AnyPointerKind.ImplicitMethodParameter, ParameterIndex = index };

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        TypeKind.List => $"List({ElementType})",
        TypeKind.Enum or TypeKind.Struct or TypeKind.Interface => $"{Kind.ToString().ToLowerInvariant()}@0x{TypeId:x16}",
        TypeKind.AnyPointer => AnyPointerKind switch
        {
            AnyPointerKind.AnyKind => "AnyPointer",
            AnyPointerKind.Parameter => $"param#{ParameterIndex}@0x{ParameterScopeId:x16}",
            AnyPointerKind.ImplicitMethodParameter => $"methodParam#{ParameterIndex}",
            _ => AnyPointerKind.ToString(),
        },
        _ => Kind.ToString(),
    };
}
