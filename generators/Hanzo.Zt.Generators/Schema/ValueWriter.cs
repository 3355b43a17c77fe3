using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Writes the C# statements that build a schema value (a struct or list default, or a constant) into a
/// <c>PointerBuilder</c> named <c>p</c>, field by field, with the same layout the reference gives it.
/// </summary>
internal sealed class ValueWriter(TypeMap map)
{
    private const string Capnp = "global::Hanzo.Zt.Capnp";
    private int next;

    /// <summary>A C# expression for the value, read once and kept: <c>SchemaValues.Build(static p => { ... })</c>; null when it cannot be built.</summary>
    public string? Build(SchemaType type, SchemaValue value)
    {
        var w = new CodeWriter();
        next = 0;
        if (!WritePointer(w, "p", type, value))
        {
            return null;
        }

        var body = string.Join(" ", w.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        return $"{Capnp}.SchemaValues.Build(static p => {{ {body} }})";
    }

    private string Name() => "v" + next++;

    private bool WritePointer(CodeWriter w, string pointer, SchemaType type, SchemaValue value)
    {
        if (value.IsNull)
        {
            return true;
        }

        switch (type.Kind)
        {
            case TypeKind.Text:
                w.Line($"{pointer}.SetText({Names.Literal(value.Text!)});");
                return true;
            case TypeKind.Data:
                w.Line($"{pointer}.SetData({Literals.Bytes(value.Data!)});");
                return true;
            case TypeKind.Struct:
                var node = map.Node(type.TypeId);
                string s = Name();
                w.Line($"var {s} = {pointer}.InitStruct({node.Struct!.DataWordCount}, {node.Struct.PointerCount});");
                return WriteFields(w, s, node, value);
            case TypeKind.List:
                return WriteList(w, pointer, type.ElementType!, value.Items!);
            default:
                return false; // Interfaces and AnyPointer have no literal values.
        }
    }

    private bool WriteFields(CodeWriter w, string s, SchemaNode node, SchemaValue value)
    {
        var layout = node.Struct!;
        foreach (var assigned in value.Fields ?? Array.Empty<KeyValuePair<string, SchemaValue>>())
        {
            var field = layout.Fields.FirstOrDefault(f => f.Name == assigned.Key);
            if (field is null)
            {
                return false;
            }

            if (field.DiscriminantValue != SchemaField.NoDiscriminant)
            {
                w.Line($"{s}.WriteUInt16({layout.DiscriminantOffset}, {field.DiscriminantValue});");
            }

            if (field.IsGroup)
            {
                if (!WriteFields(w, s, map.Node(field.GroupTypeId), assigned.Value))
                {
                    return false;
                }

                continue;
            }

            var type = field.Type!;
            if (type.Kind == TypeKind.Void)
            {
                continue;
            }

            if (type.IsPointer)
            {
                if (!WritePointer(w, $"{s}.GetPointer({field.Offset})", type, assigned.Value))
                {
                    return false;
                }

                continue;
            }

            string literal = type.Kind == TypeKind.Enum ? $"(ushort){assigned.Value.Int}" : Literals.Primitive(type.Kind, assigned.Value);
            string xor = Literals.DataDefault(type, field.DefaultValue, map) is { } d ? ", " + d : string.Empty;
            w.Line($"{s}.Write{TypeMap.Accessor(type.Kind)}({field.Offset}, {literal}{xor});");
        }

        return true;
    }

    private bool WriteList(CodeWriter w, string pointer, SchemaType element, IReadOnlyList<SchemaValue> items)
    {
        string l = Name();
        if (element.Kind == TypeKind.Struct)
        {
            var node = map.Node(element.TypeId);
            w.Line($"var {l} = {pointer}.InitStructList({items.Count}, {node.Struct!.DataWordCount}, {node.Struct.PointerCount});");
            for (int i = 0; i < items.Count; i++)
            {
                string e = Name();
                w.Line($"var {e} = {l}.GetStruct({i});");
                if (!WriteFields(w, e, node, items[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (element.IsPointer)
        {
            w.Line($"var {l} = {pointer}.InitList({Capnp}.ListElementSize.Pointer, {items.Count});");
            for (int i = 0; i < items.Count; i++)
            {
                if (!WritePointer(w, $"{l}.GetPointer({i})", element, items[i]))
                {
                    return false;
                }
            }

            return true;
        }

        w.Line($"var {l} = {pointer}.InitList({Capnp}.ListElementSize.{ElementSize(element.Kind)}, {items.Count});");
        if (element.Kind == TypeKind.Void)
        {
            return true;
        }

        for (int i = 0; i < items.Count; i++)
        {
            string literal = element.Kind == TypeKind.Enum ? $"(ushort){items[i].Int}" : Literals.Primitive(element.Kind, items[i]);
            if (element.Kind == TypeKind.Enum || !Literals.IsZero(items[i]))
            {
                w.Line($"{l}.Set{TypeMap.Accessor(element.Kind)}({i}, {literal});");
            }
        }

        return true;
    }

    private static string ElementSize(TypeKind kind) => kind switch
    {
        TypeKind.Void => "Void",
        TypeKind.Bool => "Bit",
        TypeKind.Int8 or TypeKind.UInt8 => "Byte",
        TypeKind.Int16 or TypeKind.UInt16 or TypeKind.Enum => "TwoBytes",
        TypeKind.Int32 or TypeKind.UInt32 or TypeKind.Float32 => "FourBytes",
        _ => "EightBytes",
    };
}
