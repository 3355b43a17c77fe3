using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Hanzo.Zt.Generators;

/// <summary>C# spellings of schema names: PascalCase types and members, camelCase parameters, keywords escaped.</summary>
internal static class Names
{
    public static string Pascal(string name)
    {
        var result = new StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '$' || c == '_')
            {
                upper = true;
                continue;
            }

            result.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return result.Length == 0 ? "_" : result.ToString();
    }

    public static string Camel(string name)
    {
        var pascal = Pascal(name);
        var camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return Identifier(camel);
    }

    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static string Hex(ulong id) => "0x" + id.ToString("x16", CultureInfo.InvariantCulture) + "UL";

    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
