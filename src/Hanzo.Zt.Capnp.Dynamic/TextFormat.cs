using System.Globalization;
using System.Text;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>
/// The reference tools' text format (schema-language struct literals), as <c>capnp decode</c> prints it:
/// short on one line, or pretty with one field per line where a value does not fit inline.
/// </summary>
public static class TextFormat
{
    /// <summary>Formats <paramref name="value"/>.</summary>
    public static string Format(DynamicValue value, bool pretty = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        return pretty ? Pretty(value, 0, prefixed: false) : Short(value);
    }

    private static string Short(DynamicValue value) => value switch
    {
        DynamicStruct s => "(" + string.Join(", ", s.Fields.Select(f => f.Key + " = " + Short(f.Value))) + ")",
        DynamicList l => "[" + string.Join(", ", l.Items.Select(Short)) + "]",
        _ => Scalar(value),
    };

    private static string Pretty(DynamicValue value, int indent, bool prefixed) => value switch
    {
        DynamicStruct s => Layout.Join(s.Fields.Select(f => f.Key + " = " + Pretty(f.Value, indent + 2, prefixed: true)).ToList(), "(", ")", indent, prefixed, isRecord: true, ", "),
        DynamicList l => Layout.Join(l.Items.Select(i => Pretty(i, indent + 2, prefixed: false)).ToList(), "[", "]", indent, prefixed, isRecord: false, ", "),
        _ => Scalar(value),
    };

    private static string Scalar(DynamicValue value) => value switch
    {
        DynamicVoid => "void",
        DynamicBool b => b.Value ? "true" : "false",
        DynamicInt i => i.Value.ToString(CultureInfo.InvariantCulture),
        DynamicUInt u => u.Value.ToString(CultureInfo.InvariantCulture),
        DynamicFloat f => f.Kind == Compiler.TypeKind.Float32 ? FloatText.Float32((float)f.Value) : FloatText.Float64(f.Value),
        DynamicText t => Quote(Encoding.UTF8.GetBytes(t.Value), escapeHigh: false),
        DynamicData d => Quote(d.Value, escapeHigh: true),
        DynamicEnum e => e.Name ?? e.Value.ToString(CultureInfo.InvariantCulture),
        DynamicOpaque o => o.IsCapability ? "<external capability>" : "<opaque pointer>",
        _ => throw new ArgumentException($"Unknown value {value.GetType().Name}.", nameof(value)),
    };

    private static string Quote(byte[] bytes, bool escapeHigh)
    {
        var result = new List<byte>(bytes.Length + 2) { (byte)'"' };
        foreach (byte b in bytes)
        {
            string? escape = b switch
            {
                (byte)'\a' => "\\a",
                (byte)'\b' => "\\b",
                (byte)'\f' => "\\f",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'\v' => "\\v",
                (byte)'\'' => "\\'",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                < 0x20 or 0x7f => "\\" + System.Convert.ToString(b, 8).PadLeft(3, '0'),
                >= 0x80 when escapeHigh => "\\" + System.Convert.ToString(b, 8).PadLeft(3, '0'),
                _ => null,
            };
            if (escape is null)
            {
                result.Add(b);
            }
            else
            {
                result.AddRange(Encoding.ASCII.GetBytes(escape));
            }
        }

        result.Add((byte)'"');
        return Encoding.UTF8.GetString(result.ToArray());
    }
}
