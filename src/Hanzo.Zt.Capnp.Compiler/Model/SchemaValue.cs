using System.Globalization;
using System.Text;

namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A default, constant or annotation value (schema.capnp's <c>Value</c>), with nested values evaluated.</summary>
public sealed class SchemaValue
{
    private SchemaValue(TypeKind kind) => Kind = kind;

    /// <summary>The Void value.</summary>
    public static SchemaValue VoidValue { get; } = new(TypeKind.Void);

    /// <summary>The value's type kind.</summary>
    public TypeKind Kind { get; private set; }

    /// <summary>For Bool.</summary>
    public bool Bool { get; private set; }

    /// <summary>For signed integers (and the enumerant index of enums): the value.</summary>
    public long Int { get; private set; }

    /// <summary>For unsigned integers: the value.</summary>
    public ulong UInt { get; private set; }

    /// <summary>For Float32 and Float64.</summary>
    public double Float { get; private set; }

    /// <summary>For Text.</summary>
    public string? Text { get; private set; }

    /// <summary>For Data.</summary>
    public IReadOnlyList<byte>? Data { get; private set; }

    /// <summary>For List: the elements.</summary>
    public IReadOnlyList<SchemaValue>? Items { get; private set; }

    /// <summary>For Struct: the assigned fields in source order (a group's value is a nested struct value).</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaValue>>? Fields { get; private set; }

    /// <summary>For pointer kinds: true when the value is a null pointer (the default default).</summary>
    public bool IsNull { get; private set; }

    /// <summary>A Bool value.</summary>
    public static SchemaValue FromBool(bool value) => new(TypeKind.Bool) { Bool = value };

    /// <summary>A signed integer value of the given kind.</summary>
    public static SchemaValue FromSigned(TypeKind kind, long value) => new(kind) { Int = value };

    /// <summary>An unsigned integer value of the given kind.</summary>
    public static SchemaValue FromUnsigned(TypeKind kind, ulong value) => new(kind) { UInt = value };

    /// <summary>A floating-point value of the given kind.</summary>
    public static SchemaValue FromFloat(TypeKind kind, double value) => new(kind) { Float = value };

    /// <summary>A Text value.</summary>
    public static SchemaValue FromText(string value) => new(TypeKind.Text) { Text = value };

    /// <summary>A Data value.</summary>
    public static SchemaValue FromData(byte[] value) => new(TypeKind.Data) { Data = value };

    /// <summary>An enum value, by enumerant index.</summary>
    public static SchemaValue FromEnum(int value) => new(TypeKind.Enum) { Int = value };

    /// <summary>A list value.</summary>
    public static SchemaValue FromList(IReadOnlyList<SchemaValue> items) => new(TypeKind.List) { Items = items };

    /// <summary>A struct value: its fields by name, in the order given.</summary>
    public static SchemaValue FromStruct(IReadOnlyList<KeyValuePair<string, SchemaValue>> fields) => new(TypeKind.Struct) { Fields = fields };

    /// <summary>A null pointer value of the given kind.</summary>
    public static SchemaValue Null(TypeKind kind) => new(kind) { IsNull = true };

    /// <summary>The zero value of a type: what a field has when the schema gives no default.</summary>
    internal static SchemaValue DefaultOf(SchemaType type) => type.Kind switch
    {
        TypeKind.Void => VoidValue,
        TypeKind.Bool => FromBool(false),
        TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32 or TypeKind.Int64 => FromSigned(type.Kind, 0),
        TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64 => FromUnsigned(type.Kind, 0),
        TypeKind.Float32 or TypeKind.Float64 => FromFloat(type.Kind, 0),
        TypeKind.Enum => FromEnum(0),
        _ => Null(type.Kind),
    };

    // The reference's C-style escaping, so printed values compare equal to capnp's.
    private static string Escape(string text)
    {
        var result = new StringBuilder("\"");
        foreach (char c in text)
        {
            switch (c)
            {
                case '\a': result.Append("\\a"); break;
                case '\b': result.Append("\\b"); break;
                case '\f': result.Append("\\f"); break;
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                case '\v': result.Append("\\v"); break;
                case '\'': result.Append("\\'"); break;
                case '"': result.Append("\\\""); break;
                case '\\': result.Append("\\\\"); break;
                default:
                    if (c < ' ' || c == '\x7f')
                    {
                        result.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                    }
                    else
                    {
                        result.Append(c);
                    }

                    break;
            }
        }

        return result.Append('"').ToString();
    }

    /// <summary>Formats like the reference's text format: <c>-5</c>, <c>"x"</c>, <c>[1, 2]</c>, <c>(a = 1)</c>.</summary>
    public override string ToString()
    {
        if (IsNull)
        {
            return "null";
        }

        switch (Kind)
        {
            case TypeKind.Void: return "void";
            case TypeKind.Bool: return Bool ? "true" : "false";
            case TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Enum:
                return Int.ToString(CultureInfo.InvariantCulture);
            case TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64:
                return UInt.ToString(CultureInfo.InvariantCulture);
            case TypeKind.Float32 or TypeKind.Float64:
                return double.IsPositiveInfinity(Float) ? "inf" : double.IsNegativeInfinity(Float) ? "-inf"
                    : double.IsNaN(Float) ? "nan" : Float.ToString("R", CultureInfo.InvariantCulture);
            case TypeKind.Text: return Escape(Text!);
            case TypeKind.Data:
                var hex = new StringBuilder("0x\"");
                foreach (byte b in Data!)
                {
                    hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                }

                return hex.Append('"').ToString();
            case TypeKind.List: return "[" + string.Join(", ", Items!.Select(i => i.ToString())) + "]";
            case TypeKind.Struct: return "(" + string.Join(", ", Fields!.Select(f => $"{f.Key} = {f.Value}")) + ")";
            default: return Kind.ToString();
        }
    }
}
