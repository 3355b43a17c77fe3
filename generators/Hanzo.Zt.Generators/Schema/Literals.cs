using System.Globalization;
using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>C# expressions for schema values: field defaults (XOR-ed by the runtime) and constants.</summary>
internal static class Literals
{
    /// <summary>The default as the runtime's Read/Write methods take it, or null when it is zero (no argument needed).</summary>
    public static string? DataDefault(SchemaType type, SchemaValue? value, TypeMap map)
    {
        if (value is null || IsZero(value))
        {
            return null;
        }

        return type.Kind == TypeKind.Enum ? $"(ushort){value.Int}" : Primitive(type.Kind, value);
    }

    public static bool IsZero(SchemaValue value) => value.Kind switch
    {
        TypeKind.Bool => !value.Bool,
        TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Enum => value.Int == 0,
        TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64 => value.UInt == 0,
        TypeKind.Float32 or TypeKind.Float64 => BitConverter.DoubleToInt64Bits(value.Float) == 0,
        _ => true,
    };

    public static string Primitive(TypeKind kind, SchemaValue value)
    {
        var c = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case TypeKind.Bool: return value.Bool ? "true" : "false";
            case TypeKind.Int8: return $"(sbyte){value.Int.ToString(c)}";
            case TypeKind.Int16: return $"(short){value.Int.ToString(c)}";
            case TypeKind.Int32: return value.Int == int.MinValue ? "int.MinValue" : value.Int.ToString(c);
            case TypeKind.Int64: return value.Int == long.MinValue ? "long.MinValue" : value.Int.ToString(c) + "L";
            case TypeKind.UInt8: return $"(byte){value.UInt.ToString(c)}";
            case TypeKind.UInt16: return $"(ushort){value.UInt.ToString(c)}";
            case TypeKind.UInt32: return value.UInt.ToString(c) + "U";
            case TypeKind.UInt64: return value.UInt.ToString(c) + "UL";
            case TypeKind.Float32: return Float((float)value.Float, "float", "F");
            case TypeKind.Float64: return Float(value.Float, "double", "D");
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a primitive");
        }
    }

    private static string Float(double value, string type, string suffix)
    {
        if (double.IsNaN(value))
        {
            return type + ".NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? type + ".PositiveInfinity" : type + ".NegativeInfinity";
        }

        string text = type == "float"
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
        return text + suffix;
    }

    public static string Bytes(IReadOnlyList<byte> data) =>
        "new byte[] { " + string.Join(", ", data.Select(b => "0x" + b.ToString("x2", CultureInfo.InvariantCulture))) + " }";
}
