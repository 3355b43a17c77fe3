using System.Globalization;
using System.Text;

namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>Prints compiled nodes as text for people: ids, struct sizes and every field's offset, like <c>capnp compile -ocapnp</c> comments.</summary>
public static class SchemaSummary
{
    /// <summary>Formats every node of <paramref name="result"/>, then its diagnostics.</summary>
    public static string Print(CompilationResult result)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }

        var text = new StringBuilder();
        foreach (var node in result.Nodes)
        {
            text.Append(node.Kind.ToString().ToLowerInvariant()).Append(' ').Append(node.DisplayName)
                .Append(" @0x").Append(node.Id.ToString("x16", CultureInfo.InvariantCulture));
            if (node.Struct is { } s)
            {
                text.Append($"  # {s.DataWordCount * 8} bytes, {s.PointerCount} ptrs");
                if (s.DiscriminantCount > 0)
                {
                    text.Append($", union tag bits[{s.DiscriminantOffset * 16}, {s.DiscriminantOffset * 16 + 16})");
                }
            }

            text.Append('\n');
            foreach (var field in node.Struct?.Fields ?? Array.Empty<SchemaField>())
            {
                text.Append("  ").Append(field.Name);
                if (field.IsGroup)
                {
                    text.Append(" :group @0x").Append(field.GroupTypeId.ToString("x16", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(" @").Append(field.Ordinal).Append(" :").Append(TypeName(result, field.Type!)).Append("  # ").Append(Placement(field));
                    if (field.HadExplicitDefault)
                    {
                        text.Append(", default ").Append(field.DefaultValue);
                    }
                }

                if (field.DiscriminantValue != SchemaField.NoDiscriminant)
                {
                    text.Append(field.IsGroup ? "  # " : ", ").Append("union tag = ").Append(field.DiscriminantValue);
                }

                text.Append('\n');
            }

            foreach (var enumerant in node.Enum?.Enumerants ?? Array.Empty<SchemaEnumerant>())
            {
                text.Append("  ").Append(enumerant.Name).Append('\n');
            }

            foreach (var method in node.Interface?.Methods ?? Array.Empty<SchemaMethod>())
            {
                text.Append($"  {method.Name} @{method.Ordinal} ({Name(result, method.ParamStructType)}) -> ({Name(result, method.ResultStructType)})\n");
            }

            if (node.Const is { } c)
            {
                text.Append($"  = {c.Value} :{TypeName(result, c.Type)}\n");
            }
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            text.Append(diagnostic).Append('\n');
        }

        return text.ToString();
    }

    private static string Placement(SchemaField field)
    {
        var type = field.Type!;
        if (type.IsPointer)
        {
            return $"ptr[{field.Offset}]";
        }

        int bits = type.DataLgSize is { } lg && lg >= 0 ? 1 << lg : 0;
        return $"bits[{(long)field.Offset * bits}, {((long)field.Offset + 1) * bits})";
    }

    private static string Name(CompilationResult result, ulong id) => result.FindNode(id)?.Name ?? $"@0x{id:x16}";

    private static string TypeName(CompilationResult result, SchemaType type) => type.Kind switch
    {
        TypeKind.List => $"List({TypeName(result, type.ElementType!)})",
        TypeKind.Enum or TypeKind.Struct or TypeKind.Interface => Name(result, type.TypeId),
        _ => type.ToString(),
    };
}
