using System.Globalization;
using System.Text;
using System.Text.Json;
using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>
/// The JSON mapping of the reference tools (<c>capnp convert ...:json</c>): 64-bit integers as strings, Data as
/// arrays of byte values, enums by name, Void as null, non-finite floats as <c>"NaN"</c>/<c>"Infinity"</c>.
/// </summary>
public static class JsonFormat
{
    /// <summary>Formats <paramref name="value"/> as JSON.</summary>
    public static string Format(DynamicValue value, bool pretty = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Write(value, pretty, 0, prefixed: false);
    }

    /// <summary>Parses one or more JSON values (a stream of messages) as structs of type <paramref name="type"/>.</summary>
    /// <exception cref="CapnpSchemaException">The JSON is malformed or does not fit the type.</exception>
    public static IReadOnlyList<DynamicStruct> Parse(ReadOnlySpan<byte> json, SchemaSet schema, SchemaNode type)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        var result = new List<DynamicStruct>();
        try
        {
            while (reader.Read())
            {
                using var document = JsonDocument.ParseValue(ref reader);
                result.Add(ParseStruct(document.RootElement, schema, type, Generics.None));
            }
        }
        catch (JsonException e)
        {
            throw new CapnpSchemaException($"Malformed JSON: {e.Message}");
        }

        return result;
    }

    private static string Write(DynamicValue value, bool pretty, int indent, bool prefixed)
    {
        switch (value)
        {
            case DynamicStruct s:
                return Join(s.Fields.Select(f => Quote(f.Key) + (pretty ? ": " : ":") + Write(f.Value, pretty, indent + 2, prefixed: true)).ToList(), "{", "}", pretty, indent, prefixed, isRecord: true);
            case DynamicList l:
                return Join(l.Items.Select(i => Write(i, pretty, indent + 2, prefixed: false)).ToList(), "[", "]", pretty, indent, prefixed, isRecord: false);
            case DynamicVoid or DynamicOpaque:
                return "null";
            case DynamicBool b:
                return b.Value ? "true" : "false";
            case DynamicInt i:
                string signed = i.Value.ToString(CultureInfo.InvariantCulture);
                return i.Kind == TypeKind.Int64 ? "\"" + signed + "\"" : signed;
            case DynamicUInt u:
                string unsigned = u.Value.ToString(CultureInfo.InvariantCulture);
                return u.Kind == TypeKind.UInt64 ? "\"" + unsigned + "\"" : unsigned;
            case DynamicFloat f:
                return double.IsNaN(f.Value) ? "\"NaN\"" : double.IsPositiveInfinity(f.Value) ? "\"Infinity\""
                    : double.IsNegativeInfinity(f.Value) ? "\"-Infinity\"" : FloatText.Float64(f.Value);
            case DynamicText t:
                return Quote(t.Value);
            case DynamicData d:
                return "[" + string.Join(pretty ? ", " : ",", d.Value.Select(b => b.ToString(CultureInfo.InvariantCulture))) + "]";
            case DynamicEnum e:
                return e.Name is null ? e.Value.ToString(CultureInfo.InvariantCulture) : Quote(e.Name);
            default:
                throw new ArgumentException($"Unknown value {value.GetType().Name}.", nameof(value));
        }
    }

    private static string Join(List<string> items, string open, string close, bool pretty, int indent, bool prefixed, bool isRecord) =>
        pretty ? Layout.Join(items, open, close, indent, prefixed, isRecord, ", ") : open + string.Join(",", items) + close;

    private static string Quote(string text)
    {
        var result = new StringBuilder("\"");
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': result.Append("\\\""); break;
                case '\\': result.Append("\\\\"); break;
                case '\b': result.Append("\\b"); break;
                case '\f': result.Append("\\f"); break;
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                case < ' ': result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: result.Append(c); break;
            }
        }

        return result.Append('"').ToString();
    }

    private static DynamicStruct ParseStruct(JsonElement json, SchemaSet schema, SchemaNode type, Generics generics)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new CapnpSchemaException($"Expected a JSON object for struct '{type.DisplayName}', found {json.ValueKind}.");
        }

        var node = SchemaTypes.StructOf(type);
        var fields = new List<KeyValuePair<string, DynamicValue>>();
        foreach (var property in json.EnumerateObject())
        {
            var field = node.Fields.FirstOrDefault(f => f.Name == property.Name)
                ?? throw new CapnpSchemaException($"Struct '{type.DisplayName}' has no field named '{property.Name}'.");
            if (field.IsGroup)
            {
                fields.Add(new(field.Name, ParseStruct(property.Value, schema, schema.GetNode(field.GroupTypeId), generics)));
            }
            else if (property.Value.ValueKind != JsonValueKind.Null || field.Type!.Kind == TypeKind.Void)
            {
                fields.Add(new(field.Name, ParseValue(property.Value, field.Type!, schema, field.Name, generics)));
            }
        }

        return new DynamicStruct(fields);
    }

    private static DynamicValue ParseValue(JsonElement json, SchemaType declared, SchemaSet schema, string what, Generics generics)
    {
        var (type, scope) = generics.Resolve(declared);
        try
        {
            switch (type.Kind)
            {
                case TypeKind.Void:
                    return DynamicVoid.Instance;
                case TypeKind.Bool:
                    return new DynamicBool(json.GetBoolean());
                case TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32 or TypeKind.Int64:
                    return new DynamicInt(json.ValueKind == JsonValueKind.String ? long.Parse(json.GetString()!, CultureInfo.InvariantCulture) : json.GetInt64(), type.Kind);
                case TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64:
                    return new DynamicUInt(json.ValueKind == JsonValueKind.String ? ulong.Parse(json.GetString()!, CultureInfo.InvariantCulture) : json.GetUInt64(), type.Kind);
                case TypeKind.Float32 or TypeKind.Float64:
                    return new DynamicFloat(json.ValueKind == JsonValueKind.String ? NonFinite(json.GetString()!) : json.GetDouble(), type.Kind);
                case TypeKind.Text:
                    return new DynamicText(json.GetString()!);
                case TypeKind.Data:
                    return new DynamicData(json.EnumerateArray().Select(e => e.GetByte()).ToArray());
                case TypeKind.Enum:
                    return ParseEnum(json, type, schema, what);
                case TypeKind.Struct:
                    return ParseStruct(json, schema, schema.GetNode(type.TypeId), scope.Enter(type.Brand));
                case TypeKind.List:
                    return new DynamicList(json.EnumerateArray().Select(e => ParseValue(e, type.ElementType!, schema, what, scope)).ToList());
                default:
                    throw new CapnpSchemaException($"'{what}' is {type}, which cannot be read from JSON.");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new CapnpSchemaException($"'{what}' expects {type}, but the JSON holds {json.ValueKind} {json.GetRawText()}: {e.Message}");
        }
    }

    private static DynamicEnum ParseEnum(JsonElement json, SchemaType type, SchemaSet schema, string what)
    {
        if (json.ValueKind == JsonValueKind.Number)
        {
            ushort value = json.GetUInt16();
            return new DynamicEnum(value, SchemaTypes.EnumerantName(schema, type, value));
        }

        string name = json.GetString()!;
        var enumerants = schema.GetNode(type.TypeId).Enum!.Enumerants;
        for (int i = 0; i < enumerants.Count; i++)
        {
            if (enumerants[i].Name == name)
            {
                return new DynamicEnum((ushort)i, name);
            }
        }

        throw new CapnpSchemaException($"'{what}': '{name}' is not an enumerant of {schema.GetNode(type.TypeId).DisplayName}.");
    }

    private static double NonFinite(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };
}
