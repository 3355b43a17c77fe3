using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>How schema types map onto the wire.</summary>
internal static class SchemaTypes
{
    public static ListElementSize ElementSize(SchemaType type) => type.Kind switch
    {
        TypeKind.Void => ListElementSize.Void,
        TypeKind.Bool => ListElementSize.Bit,
        TypeKind.Int8 or TypeKind.UInt8 => ListElementSize.Byte,
        TypeKind.Int16 or TypeKind.UInt16 or TypeKind.Enum => ListElementSize.TwoBytes,
        TypeKind.Int32 or TypeKind.UInt32 or TypeKind.Float32 => ListElementSize.FourBytes,
        TypeKind.Int64 or TypeKind.UInt64 or TypeKind.Float64 => ListElementSize.EightBytes,
        TypeKind.Struct => ListElementSize.InlineComposite,
        _ => ListElementSize.Pointer,
    };

    public static bool IsPointer(SchemaType type) => ElementSize(type) is ListElementSize.Pointer or ListElementSize.InlineComposite;

    public static bool IsUnionMember(SchemaField field) => field.DiscriminantValue != SchemaField.NoDiscriminant;

    public static string? EnumerantName(SchemaSet schema, SchemaType type, int value)
    {
        var enumerants = schema.GetNode(type.TypeId).Enum?.Enumerants;
        return enumerants is not null && value < enumerants.Count ? enumerants[value].Name : null;
    }

    public static StructNode StructOf(SchemaNode node) =>
        node.Struct ?? throw new CapnpSchemaException($"'{node.DisplayName}' is not a struct.");
}
