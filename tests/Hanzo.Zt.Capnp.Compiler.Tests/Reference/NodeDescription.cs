using System.Globalization;

namespace Hanzo.Zt.Capnp.Compiler.Tests.Reference;

/// <summary>
/// Renders a node, ours or the reference's, as lines of comparable facts (ids, names, sizes,
/// offsets, discriminants, ordinals, scalar defaults), so a mismatch shows as a readable diff.
/// </summary>
internal static class NodeDescription
{
    private static readonly HashSet<string> Scalars = new()
    {
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "enum",
    };

    public static List<string> Describe(Dictionary<string, object> node)
    {
        var lines = new List<string>
        {
            $"node {node["id"]} {node["displayName"]} prefix={node["displayNamePrefixLength"]} scope={node["scopeId"]} generic={node["isGeneric"]}",
        };
        foreach (var nested in List(node, "nestedNodes"))
        {
            lines.Add($"nested {nested["name"]} {nested["id"]}");
        }

        if (node.TryGetValue("struct", out var s))
        {
            var st = (Dictionary<string, object>)s;
            lines.Add($"struct words={st["dataWordCount"]} ptrs={st["pointerCount"]} isGroup={st["isGroup"]} discCount={st["discriminantCount"]} discOffset={st["discriminantOffset"]}");
            foreach (var f in List(st, "fields"))
            {
                var ordinal = (Dictionary<string, object>)f["ordinal"];
                string ord = ordinal.TryGetValue("explicit", out var e) ? e.ToString()! : "-";
                string head = $"field {f["name"]} code={f["codeOrder"]} disc={f["discriminantValue"]} ord={ord}";
                if (f.TryGetValue("group", out var g))
                {
                    lines.Add($"{head} group={((Dictionary<string, object>)g)["typeId"]}");
                }
                else
                {
                    var slot = (Dictionary<string, object>)f["slot"];
                    var type = (Dictionary<string, object>)slot["type"];
                    lines.Add($"{head} offset={slot["offset"]} type={Type(type)} explicit={slot["hadExplicitDefault"]} default={Value((Dictionary<string, object>)slot["defaultValue"])}");
                }
            }
        }
        else if (node.TryGetValue("enum", out var en))
        {
            foreach (var enumerant in List((Dictionary<string, object>)en, "enumerants"))
            {
                lines.Add($"enumerant {enumerant["name"]} code={enumerant["codeOrder"]}");
            }
        }
        else if (node.TryGetValue("interface", out var i))
        {
            var iface = (Dictionary<string, object>)i;
            foreach (var m in List(iface, "methods"))
            {
                lines.Add($"method {m["name"]} code={m["codeOrder"]} params={m["paramStructType"]} results={m["resultStructType"]}");
            }

            foreach (var sc in List(iface, "superclasses"))
            {
                lines.Add($"superclass {sc["id"]}");
            }
        }
        else if (node.TryGetValue("const", out var c))
        {
            var constant = (Dictionary<string, object>)c;
            lines.Add($"const type={Type((Dictionary<string, object>)constant["type"])} value={Value((Dictionary<string, object>)constant["value"])}");
        }
        else if (node.TryGetValue("annotation", out var a))
        {
            var annotation = (Dictionary<string, object>)a;
            var targets = annotation.Where(p => p.Key.StartsWith("targets", StringComparison.Ordinal) && (string)p.Value == "true").Select(p => p.Key.Substring(7).ToLowerInvariant());
            lines.Add($"annotation type={Type((Dictionary<string, object>)annotation["type"])} targets={string.Join(",", targets.OrderBy(t => t))}");
        }

        return lines;
    }

    public static List<string> Describe(SchemaNode node)
    {
        var lines = new List<string>
        {
            $"node {node.Id} \"{node.DisplayName}\" prefix={node.DisplayNamePrefixLength} scope={node.ScopeId} generic={Bool(node.IsGeneric)}",
        };
        lines.AddRange(node.NestedNodes.Select(n => $"nested \"{n.Name}\" {n.Id}"));
        if (node.Struct is { } st)
        {
            lines.Add($"struct words={st.DataWordCount} ptrs={st.PointerCount} isGroup={Bool(st.IsGroup)} discCount={st.DiscriminantCount} discOffset={st.DiscriminantOffset}");
            foreach (var f in st.Fields)
            {
                string head = $"field \"{f.Name}\" code={f.CodeOrder} disc={f.DiscriminantValue} ord={(f.Ordinal?.ToString(CultureInfo.InvariantCulture) ?? "-")}";
                lines.Add(f.IsGroup
                    ? $"{head} group={f.GroupTypeId}"
                    : $"{head} offset={f.Offset} type={Type(f.Type!)} explicit={Bool(f.HadExplicitDefault)} default={Value(f.DefaultValue!)}");
            }
        }
        else if (node.Enum is { } en)
        {
            lines.AddRange(en.Enumerants.Select(e => $"enumerant \"{e.Name}\" code={e.CodeOrder}"));
        }
        else if (node.Interface is { } iface)
        {
            lines.AddRange(iface.Methods.Select(m => $"method \"{m.Name}\" code={m.CodeOrder} params={m.ParamStructType} results={m.ResultStructType}"));
            lines.AddRange(iface.Superclasses.Select(s => $"superclass {s.Id}"));
        }
        else if (node.Const is { } c)
        {
            lines.Add($"const type={Type(c.Type)} value={Value(c.Value)}");
        }
        else if (node.Annotation is { } a)
        {
            var targets = Enum.GetValues<AnnotationTargets>().Where(t => t is not AnnotationTargets.None and not AnnotationTargets.All && a.Targets.HasFlag(t))
                .Select(t => t.ToString().ToLowerInvariant());
            lines.Add($"annotation type={Type(a.Type)} targets={string.Join(",", targets.OrderBy(t => t))}");
        }

        return lines;
    }

    private static IEnumerable<Dictionary<string, object>> List(Dictionary<string, object> parent, string key) =>
        parent.TryGetValue(key, out var value) ? ((List<object>)value).Cast<Dictionary<string, object>>() : Enumerable.Empty<Dictionary<string, object>>();

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Type(Dictionary<string, object> type)
    {
        var (kind, value) = type.Single();
        return kind switch
        {
            "list" => $"List({Type((Dictionary<string, object>)((Dictionary<string, object>)value)["elementType"])})",
            "struct" or "enum" or "interface" => $"{kind}:{((Dictionary<string, object>)value)["typeId"]}",
            "anyPointer" => AnyPointer((Dictionary<string, object>)value),
            _ => kind,
        };
    }

    private static string AnyPointer(Dictionary<string, object> value)
    {
        var (kind, inner) = value.Single();
        var fields = (Dictionary<string, object>)inner;
        return kind switch
        {
            "unconstrained" => $"anyPointer:{fields.Single().Key}",
            "parameter" => $"param:{fields["scopeId"]}:{fields["parameterIndex"]}",
            _ => $"implicit:{fields["parameterIndex"]}",
        };
    }

    private static string Type(SchemaType type) => type.Kind switch
    {
        TypeKind.List => $"List({Type(type.ElementType!)})",
        TypeKind.Struct or TypeKind.Enum or TypeKind.Interface => $"{Camel(type.Kind)}:{type.TypeId}",
        TypeKind.AnyPointer => type.AnyPointerKind switch
        {
            AnyPointerKind.AnyKind => "anyPointer:anyKind",
            AnyPointerKind.AnyStruct => "anyPointer:struct",
            AnyPointerKind.AnyList => "anyPointer:list",
            AnyPointerKind.Capability => "anyPointer:capability",
            AnyPointerKind.Parameter => $"param:{type.ParameterScopeId}:{type.ParameterIndex}",
            _ => $"implicit:{type.ParameterIndex}",
        },
        _ => Camel(type.Kind),
    };

    private static string Camel(TypeKind kind) => kind.ToString().ToLowerInvariant();

    // Scalars and text are compared exactly; other pointer values only by kind (the decoder prints them opaquely).
    private static string Value(Dictionary<string, object> value)
    {
        var (kind, raw) = value.Single();
        string text = (string)raw;
        if (kind is "float32" or "float64")
        {
            return Float(text == "inf" ? double.PositiveInfinity : text == "-inf" ? double.NegativeInfinity : text == "nan" ? double.NaN : double.Parse(text, CultureInfo.InvariantCulture), kind == "float32");
        }

        return Scalars.Contains(kind) || kind == "text" && text != "\"\"" ? $"{kind}={text}" : kind.ToLowerInvariant();
    }

    private static string Value(SchemaValue value)
    {
        string kind = Camel(value.Kind);
        if (value.Kind is TypeKind.Float32 or TypeKind.Float64)
        {
            return Float(value.Float, value.Kind == TypeKind.Float32);
        }

        return Scalars.Contains(kind) || value.Kind == TypeKind.Text && !value.IsNull && value.Text!.Length > 0 ? $"{kind}={value}" : kind;
    }

    private static string Float(double value, bool single) =>
        single ? "f32=" + ((float)value).ToString("R", CultureInfo.InvariantCulture) : "f64=" + value.ToString("R", CultureInfo.InvariantCulture);
}
