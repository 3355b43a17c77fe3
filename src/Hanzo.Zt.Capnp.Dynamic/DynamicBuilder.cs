using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>Writes <see cref="DynamicValue"/>s into a message using only its schema.</summary>
public sealed class DynamicBuilder
{
    private readonly SchemaSet _schema;

    /// <summary>Creates a builder for types of <paramref name="schema"/>.</summary>
    public DynamicBuilder(SchemaSet schema) => _schema = schema ?? throw new ArgumentNullException(nameof(schema));

    /// <summary>Builds a new message whose root is <paramref name="value"/> of struct type <paramref name="type"/>.</summary>
    /// <exception cref="CapnpSchemaException">The value does not fit the type.</exception>
    public MessageBuilder Build(DynamicStruct value, SchemaNode type, MessageBuilderOptions? options = null)
    {
        var message = new MessageBuilder(options);
        try
        {
            Write(message.Root, value, type);
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>Points <paramref name="target"/> at a new struct holding <paramref name="value"/>.</summary>
    public void Write(PointerBuilder target, DynamicStruct value, SchemaNode type)
    {
        Write(target, value, type, Generics.None);
    }

    private void Write(PointerBuilder target, DynamicStruct value, SchemaNode type, Generics generics)
    {
        var node = SchemaTypes.StructOf(type);
        Fill(target.InitStruct(node.DataWordCount, node.PointerCount), value, type, generics);
    }

    private void Fill(StructBuilder target, DynamicStruct value, SchemaNode type, Generics generics)
    {
        var node = SchemaTypes.StructOf(type);
        foreach (var (name, fieldValue) in value.Fields)
        {
            var field = node.Fields.FirstOrDefault(f => f.Name == name)
                ?? throw new CapnpSchemaException($"Struct '{type.DisplayName}' has no field named '{name}'.");
            if (SchemaTypes.IsUnionMember(field))
            {
                target.WriteUInt16(node.DiscriminantOffset, (ushort)field.DiscriminantValue);
            }

            if (field.IsGroup)
            {
                Fill(target, Expect<DynamicStruct>(fieldValue, field.Name), _schema.GetNode(field.GroupTypeId), generics);
                continue;
            }

            WriteField(target, field, fieldValue, generics);
        }
    }

    private void WriteField(StructBuilder target, SchemaField field, DynamicValue value, Generics generics)
    {
        var type = field.Type!;
        var d = field.DefaultValue;
        int offset = field.Offset;
        switch (type.Kind)
        {
            case TypeKind.Void:
                Expect<DynamicVoid>(value, field.Name);
                break;
            case TypeKind.Bool:
                target.WriteBool(offset, Expect<DynamicBool>(value, field.Name).Value, d?.Bool ?? false);
                break;
            case TypeKind.Int8:
                target.WriteInt8(offset, (sbyte)Signed(value, field.Name, sbyte.MinValue, sbyte.MaxValue), (sbyte)(d?.Int ?? 0));
                break;
            case TypeKind.Int16:
                target.WriteInt16(offset, (short)Signed(value, field.Name, short.MinValue, short.MaxValue), (short)(d?.Int ?? 0));
                break;
            case TypeKind.Int32:
                target.WriteInt32(offset, (int)Signed(value, field.Name, int.MinValue, int.MaxValue), (int)(d?.Int ?? 0));
                break;
            case TypeKind.Int64:
                target.WriteInt64(offset, Signed(value, field.Name, long.MinValue, long.MaxValue), d?.Int ?? 0);
                break;
            case TypeKind.UInt8:
                target.WriteUInt8(offset, (byte)Unsigned(value, field.Name, byte.MaxValue), (byte)(d?.UInt ?? 0));
                break;
            case TypeKind.UInt16:
                target.WriteUInt16(offset, (ushort)Unsigned(value, field.Name, ushort.MaxValue), (ushort)(d?.UInt ?? 0));
                break;
            case TypeKind.UInt32:
                target.WriteUInt32(offset, (uint)Unsigned(value, field.Name, uint.MaxValue), (uint)(d?.UInt ?? 0));
                break;
            case TypeKind.UInt64:
                target.WriteUInt64(offset, Unsigned(value, field.Name, ulong.MaxValue), d?.UInt ?? 0);
                break;
            case TypeKind.Float32:
                target.WriteFloat32(offset, (float)Float(value, field.Name), (float)(d?.Float ?? 0));
                break;
            case TypeKind.Float64:
                target.WriteFloat64(offset, Float(value, field.Name), d?.Float ?? 0);
                break;
            case TypeKind.Enum:
                target.WriteUInt16(offset, Expect<DynamicEnum>(value, field.Name).Value, (ushort)(d?.Int ?? 0));
                break;
            default:
                WritePointer(target.GetPointer(offset), type, value, field.Name, generics);
                break;
        }
    }

    private void WritePointer(PointerBuilder target, SchemaType declared, DynamicValue value, string what, Generics generics)
    {
        var (type, scope) = generics.Resolve(declared);
        switch (type.Kind)
        {
            case TypeKind.Text:
                target.SetText(Expect<DynamicText>(value, what).Value);
                break;
            case TypeKind.Data:
                target.SetData(Expect<DynamicData>(value, what).Value);
                break;
            case TypeKind.Struct:
                Write(target, Expect<DynamicStruct>(value, what), _schema.GetNode(type.TypeId), scope.Enter(type.Brand));
                break;
            case TypeKind.List:
                WriteList(target, type.ElementType!, Expect<DynamicList>(value, what), what, scope);
                break;
            default:
                throw new CapnpSchemaException($"'{what}' is {type}, which cannot be written from a value.");
        }
    }

    private void WriteList(PointerBuilder target, SchemaType declaredElement, DynamicList value, string what, Generics generics)
    {
        var (element, scope) = generics.Resolve(declaredElement);
        var items = value.Items;
        if (element.Kind == TypeKind.Struct)
        {
            var type = _schema.GetNode(element.TypeId);
            var node = SchemaTypes.StructOf(type);
            var structs = target.InitStructList(items.Count, node.DataWordCount, node.PointerCount);
            for (int i = 0; i < items.Count; i++)
            {
                Fill(structs.GetStruct(i), Expect<DynamicStruct>(items[i], what), type, scope.Enter(element.Brand));
            }

            return;
        }

        var list = target.InitList(SchemaTypes.ElementSize(element), items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            switch (element.Kind)
            {
                case TypeKind.Void: Expect<DynamicVoid>(item, what); break;
                case TypeKind.Bool: list.SetBool(i, Expect<DynamicBool>(item, what).Value); break;
                case TypeKind.Int8: list.SetInt8(i, (sbyte)Signed(item, what, sbyte.MinValue, sbyte.MaxValue)); break;
                case TypeKind.Int16: list.SetInt16(i, (short)Signed(item, what, short.MinValue, short.MaxValue)); break;
                case TypeKind.Int32: list.SetInt32(i, (int)Signed(item, what, int.MinValue, int.MaxValue)); break;
                case TypeKind.Int64: list.SetInt64(i, Signed(item, what, long.MinValue, long.MaxValue)); break;
                case TypeKind.UInt8: list.SetUInt8(i, (byte)Unsigned(item, what, byte.MaxValue)); break;
                case TypeKind.UInt16: list.SetUInt16(i, (ushort)Unsigned(item, what, ushort.MaxValue)); break;
                case TypeKind.UInt32: list.SetUInt32(i, (uint)Unsigned(item, what, uint.MaxValue)); break;
                case TypeKind.UInt64: list.SetUInt64(i, Unsigned(item, what, ulong.MaxValue)); break;
                case TypeKind.Float32: list.SetFloat32(i, (float)Float(item, what)); break;
                case TypeKind.Float64: list.SetFloat64(i, Float(item, what)); break;
                case TypeKind.Enum: list.SetUInt16(i, Expect<DynamicEnum>(item, what).Value); break;
                default: WritePointer(list.GetPointer(i), element, item, what, scope); break;
            }
        }
    }

    private static long Signed(DynamicValue value, string what, long min, long max)
    {
        long result = value switch
        {
            DynamicInt i => i.Value,
            DynamicUInt u when u.Value <= long.MaxValue => (long)u.Value,
            _ => throw Mismatch(value, what, "an integer"),
        };
        return result >= min && result <= max ? result : throw new CapnpSchemaException($"'{what}': {result} is out of range [{min}, {max}].");
    }

    private static ulong Unsigned(DynamicValue value, string what, ulong max)
    {
        ulong result = value switch
        {
            DynamicUInt u => u.Value,
            DynamicInt i when i.Value >= 0 => (ulong)i.Value,
            _ => throw Mismatch(value, what, "a non-negative integer"),
        };
        return result <= max ? result : throw new CapnpSchemaException($"'{what}': {result} is out of range [0, {max}].");
    }

    private static double Float(DynamicValue value, string what) => value switch
    {
        DynamicFloat f => f.Value,
        DynamicInt i => i.Value,
        DynamicUInt u => u.Value,
        _ => throw Mismatch(value, what, "a number"),
    };

    private static T Expect<T>(DynamicValue value, string what)
        where T : DynamicValue =>
        value as T ?? throw Mismatch(value, what, typeof(T).Name.Replace("Dynamic", string.Empty, StringComparison.Ordinal).ToLowerInvariant());

    private static CapnpSchemaException Mismatch(DynamicValue value, string what, string expected) =>
        new($"'{what}' expects {expected}, got {value.GetType().Name.Replace("Dynamic", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}.");
}
