using System.Globalization;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>
/// Floating-point numbers printed as the reference tools print them: C's <c>%g</c> with the type's decimal
/// digits, more digits when that does not read back exactly, and no <c>+</c> in the exponent.
/// </summary>
internal static class FloatText
{
    public static string Float64(double value) =>
        Special(value) ?? Shortest(value, 15, 17, s => double.Parse(s, CultureInfo.InvariantCulture) == value);

    public static string Float32(float value) =>
        Special(value) ?? Shortest(value, 6, 8, s => float.Parse(s, CultureInfo.InvariantCulture) == value);

    private static string? Special(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : null;

    private static string Shortest(double value, int digits, int fallback, Func<string, bool> readsBack)
    {
        string text = G(value, digits);
        if (!readsBack(text))
        {
            text = G(value, fallback);
        }

        return text.Replace("e+", "e", StringComparison.Ordinal);
    }

    private static string G(double value, int digits)
    {
        string text = value.ToString("g" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (value == 0 && double.IsNegative(value) && !text.StartsWith('-'))
        {
            text = "-" + text;
        }

        return text;
    }
}
