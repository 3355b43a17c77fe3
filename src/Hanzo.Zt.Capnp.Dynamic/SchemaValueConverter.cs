using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>Turns values the schema compiler evaluated (struct literals) into <see cref="DynamicValue"/>s.</summary>
internal sealed class SchemaValueConverter(SchemaSet schema)
{
    public DynamicStruct Convert(SchemaValue value, SchemaNode type) => Convert(value, type, Generics.None);

    private DynamicStruct Convert(SchemaValue value, SchemaNode type, Generics generics)
    {
        var node = SchemaTypes.StructOf(type);
        var fields = new List<KeyValuePair<string, DynamicValue>>();
        foreach (var (name, fieldValue) in value.Fields ?? Array.Empty<KeyValuePair<string, SchemaValue>>())
        {
            var field = node.Fields.FirstOrDefault(f => f.Name == name)
                ?? throw new CapnpSchemaException($"Struct '{type.DisplayName}' has no field named '{name}'.");
            if (field.IsGroup)
            {
                fields.Add(new(name, Convert(fieldValue, schema.GetNode(field.GroupTypeId), generics)));
            }
            else if (!fieldValue.IsNull)
            {
                fields.Add(new(name, Convert(fieldValue, field.Type!, generics)));
            }
        }

        return new DynamicStruct(fields);
    }

    private DynamicValue Convert(SchemaValue value, SchemaType declared, Generics generics)
    {
        var (type, scope) = generics.Resolve(declared);
        return ConvertResolved(value, type, scope);
    }

    private DynamicValue ConvertResolved(SchemaValue value, SchemaType type, Generics scope) => type.Kind switch
    {
        TypeKind.Void => DynamicVoid.Instance,
        TypeKind.Bool => new DynamicBool(value.Bool),
        TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32 or TypeKind.Int64 => new DynamicInt(value.Int, type.Kind),
        TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64 => new DynamicUInt(value.UInt, type.Kind),
        TypeKind.Float32 or TypeKind.Float64 => new DynamicFloat(value.Float, type.Kind),
        TypeKind.Enum => new DynamicEnum((ushort)value.Int, SchemaTypes.EnumerantName(schema, type, (int)value.Int)),
        TypeKind.Text => new DynamicText(value.Text ?? string.Empty),
        TypeKind.Data => new DynamicData(value.Data?.ToArray() ?? Array.Empty<byte>()),
        TypeKind.Struct => Convert(value, schema.GetNode(type.TypeId), scope.Enter(type.Brand)),
        TypeKind.List => new DynamicList((value.Items ?? Array.Empty<SchemaValue>()).Select(v => Convert(v, type.ElementType!, scope)).ToList()),
        _ => throw new CapnpSchemaException($"A value of type {type} cannot be written from text."),
    };
}
