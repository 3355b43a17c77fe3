using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>
/// Reads a message into <see cref="DynamicValue"/>s using only its schema. Which fields appear follows the
/// reference tools: every non-pointer field, pointer fields that are not null, groups, and the active union
/// member (unless it is the first member and null).
/// </summary>
public sealed class DynamicReader
{
    private readonly SchemaSet _schema;

    /// <summary>Creates a reader for types of <paramref name="schema"/>.</summary>
    public DynamicReader(SchemaSet schema) => _schema = schema ?? throw new ArgumentNullException(nameof(schema));

    /// <summary>Reads the struct <paramref name="source"/> as type <paramref name="type"/>.</summary>
    /// <exception cref="CapnpFormatException">The message is malformed or does not match the schema.</exception>
    public DynamicStruct ReadStruct(StructReader source, SchemaNode type) => ReadStruct(source, type, Generics.None);

    private DynamicStruct ReadStruct(StructReader source, SchemaNode type, Generics generics)
    {
        ArgumentNullException.ThrowIfNull(type);
        var node = SchemaTypes.StructOf(type);
        var fields = new List<KeyValuePair<string, DynamicValue>>(node.Fields.Count);
        SchemaField? union = null;
        int unionIndex = -1;
        if (node.DiscriminantCount > 0)
        {
            int discriminant = source.ReadUInt16(node.DiscriminantOffset);
            for (int i = 0; i < node.Fields.Count; i++)
            {
                if (node.Fields[i].DiscriminantValue == discriminant)
                {
                    union = node.Fields[i];
                    unionIndex = i;
                }
            }

            if (union is not null && union.DiscriminantValue == 0 && !HasValue(source, union))
            {
                union = null;
            }
        }

        for (int i = 0; i < node.Fields.Count; i++)
        {
            var field = node.Fields[i];
            if (SchemaTypes.IsUnionMember(field))
            {
                continue;
            }

            if (union is not null && unionIndex < i)
            {
                fields.Add(new(union.Name, ReadField(source, union, generics)));
                union = null;
            }

            if (HasValue(source, field))
            {
                fields.Add(new(field.Name, ReadField(source, field, generics)));
            }
        }

        if (union is not null)
        {
            fields.Add(new(union.Name, ReadField(source, union, generics)));
        }

        return new DynamicStruct(fields);
    }

    private static bool HasValue(StructReader source, SchemaField field) =>
        field.IsGroup || !SchemaTypes.IsPointer(field.Type!) || !source.GetPointer(field.Offset).IsNull;

    private DynamicValue ReadField(StructReader source, SchemaField field, Generics generics)
    {
        if (field.IsGroup)
        {
            return ReadStruct(source, _schema.GetNode(field.GroupTypeId), generics);
        }

        var type = field.Type!;
        var d = field.DefaultValue;
        int offset = field.Offset;
        return type.Kind switch
        {
            TypeKind.Void => DynamicVoid.Instance,
            TypeKind.Bool => new DynamicBool(source.ReadBool(offset, d?.Bool ?? false)),
            TypeKind.Int8 => new DynamicInt(source.ReadInt8(offset, (sbyte)(d?.Int ?? 0)), type.Kind),
            TypeKind.Int16 => new DynamicInt(source.ReadInt16(offset, (short)(d?.Int ?? 0)), type.Kind),
            TypeKind.Int32 => new DynamicInt(source.ReadInt32(offset, (int)(d?.Int ?? 0)), type.Kind),
            TypeKind.Int64 => new DynamicInt(source.ReadInt64(offset, d?.Int ?? 0), type.Kind),
            TypeKind.UInt8 => new DynamicUInt(source.ReadUInt8(offset, (byte)(d?.UInt ?? 0)), type.Kind),
            TypeKind.UInt16 => new DynamicUInt(source.ReadUInt16(offset, (ushort)(d?.UInt ?? 0)), type.Kind),
            TypeKind.UInt32 => new DynamicUInt(source.ReadUInt32(offset, (uint)(d?.UInt ?? 0)), type.Kind),
            TypeKind.UInt64 => new DynamicUInt(source.ReadUInt64(offset, d?.UInt ?? 0), type.Kind),
            TypeKind.Float32 => new DynamicFloat(source.ReadFloat32(offset, (float)(d?.Float ?? 0)), type.Kind),
            TypeKind.Float64 => new DynamicFloat(source.ReadFloat64(offset, d?.Float ?? 0), type.Kind),
            TypeKind.Enum => Enum(type, source.ReadUInt16(offset, (ushort)(d?.Int ?? 0))),
            _ => ReadPointer(source.GetPointer(offset), type, generics),
        };
    }

    private DynamicValue ReadPointer(PointerReader pointer, SchemaType declared, Generics generics)
    {
        var (type, scope) = generics.Resolve(declared);
        return type.Kind switch
        {
            TypeKind.Text => new DynamicText(pointer.GetText()),
            TypeKind.Data => new DynamicData(pointer.GetData().ToArray()),
            TypeKind.Struct => ReadStruct(pointer.GetStruct(), _schema.GetNode(type.TypeId), scope.Enter(type.Brand)),
            TypeKind.List => ReadList(pointer, type.ElementType!, scope),
            TypeKind.Interface => new DynamicOpaque(IsCapability: true),
            _ => new DynamicOpaque(pointer.Kind == PointerKind.Capability),
        };
    }

    private DynamicList ReadList(PointerReader pointer, SchemaType declaredElement, Generics generics)
    {
        var (element, scope) = generics.Resolve(declaredElement);
        var list = pointer.GetList(SchemaTypes.ElementSize(element));
        var items = new DynamicValue[list.Count];
        SchemaNode? structType = element.Kind == TypeKind.Struct ? _schema.GetNode(element.TypeId) : null;
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = element.Kind switch
            {
                TypeKind.Void => DynamicVoid.Instance,
                TypeKind.Bool => new DynamicBool(list.GetBool(i)),
                TypeKind.Int8 => new DynamicInt(list.GetInt8(i), element.Kind),
                TypeKind.Int16 => new DynamicInt(list.GetInt16(i), element.Kind),
                TypeKind.Int32 => new DynamicInt(list.GetInt32(i), element.Kind),
                TypeKind.Int64 => new DynamicInt(list.GetInt64(i), element.Kind),
                TypeKind.UInt8 => new DynamicUInt(list.GetUInt8(i), element.Kind),
                TypeKind.UInt16 => new DynamicUInt(list.GetUInt16(i), element.Kind),
                TypeKind.UInt32 => new DynamicUInt(list.GetUInt32(i), element.Kind),
                TypeKind.UInt64 => new DynamicUInt(list.GetUInt64(i), element.Kind),
                TypeKind.Float32 => new DynamicFloat(list.GetFloat32(i), element.Kind),
                TypeKind.Float64 => new DynamicFloat(list.GetFloat64(i), element.Kind),
                TypeKind.Enum => Enum(element, list.GetUInt16(i)),
                TypeKind.Struct => ReadStruct(list.GetStruct(i), structType!, scope.Enter(element.Brand)),
                _ => ReadPointer(list.GetPointer(i), element, scope),
            };
        }

        return new DynamicList(items);
    }

    private DynamicEnum Enum(SchemaType type, ushort value) => new(value, SchemaTypes.EnumerantName(_schema, type, value));
}
