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

    /// <summary>
    /// A C# type name from any text, such as a file name: letters and digits kept, every other character starts a
    /// new word (<c>rpc-twoparty</c> is <c>RpcTwoparty</c>), and <c>+</c> reads as <c>p</c> (<c>c++</c> is <c>Cpp</c>).
    /// </summary>
    public static string TypeName(string text)
    {
        var result = new StringBuilder(text.Length);
        bool upper = true;
        foreach (char c in text)
        {
            if (c == '+')
            {
                result.Append(result.Length == 0 ? 'P' : 'p');
                upper = false;
            }
            else if (char.IsLetterOrDigit(c))
            {
                result.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (result.Length == 0 || char.IsDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }

    /// <summary>A C# namespace from a C++ one: <c>capnp::rpc::twoparty</c> is <c>Capnp.Rpc.Twoparty</c>.</summary>
    public static string Namespace(string cxx) =>
        string.Join(".", cxx.Split(new[] { "::" }, StringSplitOptions.RemoveEmptyEntries).Select(p => Identifier(TypeName(p.Trim()))));

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
