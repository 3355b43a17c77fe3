using System.Text;

namespace Hanzo.Zt;

/// <summary>Conversions of <see cref="ZtErrorCode"/> to and from their wire names.</summary>
public static class ZtErrorCodes
{
    private static readonly Dictionary<ZtErrorCode, string> WireNames =
        Enum.GetValues<ZtErrorCode>().ToDictionary(c => c, c => ToSnake(c.ToString()));

    private static readonly Dictionary<string, ZtErrorCode> ByWireName =
        WireNames.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The upper snake case name of a code, e.g. <c>INSUFFICIENT_BALANCE</c>.</summary>
    public static string ToWireName(ZtErrorCode code) =>
        WireNames.TryGetValue(code, out var name) ? name : ToSnake(code.ToString());

    /// <summary>Parses a wire name back to its code; unknown names give <see cref="ZtErrorCode.Unknown"/>.</summary>
    public static ZtErrorCode FromWireName(string? name) =>
        name is not null && ByWireName.TryGetValue(name, out var code) ? code : ZtErrorCode.Unknown;

    private static string ToSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
