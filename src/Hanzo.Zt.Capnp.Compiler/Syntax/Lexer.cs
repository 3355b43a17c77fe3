using System.Globalization;
using System.Text;

namespace Hanzo.Zt.Capnp.Compiler.Syntax;

/// <summary>Turns schema text into tokens; bad characters and unterminated literals become errors, never exceptions.</summary>
internal sealed class Lexer
{
    private readonly SourceText source;
    private readonly DiagnosticBag diagnostics;
    private readonly string text;
    private readonly List<Token> tokens = new();
    private int position;

    private Lexer(SourceText source, DiagnosticBag diagnostics)
    {
        this.source = source;
        this.diagnostics = diagnostics;
        text = source.Text;
    }

    public static List<Token> Tokenize(SourceText source, DiagnosticBag diagnostics)
    {
        var lexer = new Lexer(source, diagnostics);
        lexer.Run();
        return lexer.tokens;
    }

    private void Run()
    {
        while (true)
        {
            SkipTrivia();
            if (position >= text.Length)
            {
                tokens.Add(new Token(TokenKind.EndOfFile, new TextSpan(text.Length, text.Length), string.Empty));
                return;
            }

            char c = text[position];
            if (IsIdentifierStart(c))
            {
                int start = position;
                while (position < text.Length && IsIdentifierPart(text[position]))
                {
                    position++;
                }

                tokens.Add(new Token(TokenKind.Identifier, new TextSpan(start, position), text.Substring(start, position - start)));
            }
            else if (c >= '0' && c <= '9')
            {
                LexNumber();
            }
            else if (c == '"')
            {
                LexString();
            }
            else if (c == '-' && Peek(1) == '>')
            {
                AddSymbol("->", 2);
            }
            else if ("@:;,.=()[]{}$-*".IndexOf(c) >= 0)
            {
                AddSymbol(c.ToString(), 1);
            }
            else
            {
                diagnostics.Error(source, new TextSpan(position, position + 1), $"Unexpected character '{c}'.");
                position++;
            }
        }
    }

    private char Peek(int ahead) => position + ahead < text.Length ? text[position + ahead] : '\0';

    private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || (c >= '0' && c <= '9');

    private void AddSymbol(string symbol, int length)
    {
        tokens.Add(new Token(TokenKind.Symbol, new TextSpan(position, position + length), symbol));
        position += length;
    }

    private void SkipTrivia()
    {
        StringBuilder? comment = null;
        bool sawBlankLine = false;
        int newlines = 0;
        while (position < text.Length)
        {
            char c = text[position];
            if (c == '\n')
            {
                // A blank line ends the doc comment of the token before it.
                if (++newlines >= 2 && comment is not null)
                {
                    sawBlankLine = true;
                }

                position++;
            }
            else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            {
                position++;
            }
            else if (c == '#')
            {
                int start = ++position;
                while (position < text.Length && text[position] != '\n')
                {
                    position++;
                }

                newlines = 0;
                if (tokens.Count > 0 && !sawBlankLine)
                {
                    string line = text.Substring(start, position - start).TrimEnd('\r');
                    comment ??= new StringBuilder();
                    comment.Append(line.StartsWith(" ", StringComparison.Ordinal) ? line.Substring(1) : line).Append('\n');
                }
            }
            else
            {
                break;
            }
        }

        if (comment is not null)
        {
            tokens[tokens.Count - 1].TrailingComment = comment.ToString();
        }
    }

    private void LexNumber()
    {
        int start = position;
        if (text[position] == '0' && (Peek(1) == 'x' || Peek(1) == 'X'))
        {
            if (Peek(2) == '"')
            {
                position += 2;
                LexBinary(start);
                return;
            }

            position += 2;
            while (position < text.Length && Uri.IsHexDigit(text[position]))
            {
                position++;
            }

            AddInteger(start, text.Substring(start + 2, position - start - 2), 16);
            return;
        }

        while (position < text.Length && char.IsDigit(text[position]))
        {
            position++;
        }

        bool isFloat = false;
        if (Peek(0) == '.' && char.IsDigit(Peek(1)))
        {
            isFloat = true;
            position++;
            while (position < text.Length && char.IsDigit(text[position]))
            {
                position++;
            }
        }

        if ((Peek(0) == 'e' || Peek(0) == 'E')
            && (char.IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && char.IsDigit(Peek(2)))))
        {
            isFloat = true;
            position += 2;
            while (position < text.Length && char.IsDigit(text[position]))
            {
                position++;
            }
        }

        string literal = text.Substring(start, position - start);
        if (isFloat)
        {
            double value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
            tokens.Add(new Token(TokenKind.Float, new TextSpan(start, position), literal) { FloatValue = value });
        }
        else if (literal.Length > 1 && literal[0] == '0')
        {
            AddInteger(start, literal.Substring(1), 8);
        }
        else
        {
            AddInteger(start, literal, 10);
        }
    }

    private void AddInteger(int start, string digits, int radix)
    {
        var span = new TextSpan(start, position);
        ulong value = 0;
        bool inRange = digits.Length > 0;
        foreach (char d in digits)
        {
            int digit = d <= '9' ? d - '0' : (char.ToLowerInvariant(d) - 'a' + 10);
            if (digit >= radix)
            {
                diagnostics.Error(source, span, "Invalid digit in octal literal.");
                inRange = false;
                break;
            }

            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                inRange = false;
                break;
            }

            value = value * (ulong)radix + (ulong)digit;
        }

        if (digits.Length == 0)
        {
            diagnostics.Error(source, span, "Hex literal has no digits.");
        }

        tokens.Add(new Token(TokenKind.Integer, span, text.Substring(start, position - start)) { IntegerValue = value, InRange = inRange });
    }

    private void LexString()
    {
        int start = position++;
        var bytes = new List<byte>();
        var scratch = new byte[4];
        while (true)
        {
            if (position >= text.Length || text[position] == '\n')
            {
                diagnostics.Error(source, new TextSpan(start, position), "Unterminated string literal.");
                break;
            }

            char c = text[position++];
            if (c == '"')
            {
                break;
            }

            if (c == '\\')
            {
                ReadEscape(bytes);
            }
            else
            {
                int count = char.IsHighSurrogate(c) && position < text.Length
                    ? Encoding.UTF8.GetBytes(new[] { c, text[position++] }, 0, 2, scratch, 0)
                    : Encoding.UTF8.GetBytes(new[] { c }, 0, 1, scratch, 0);
                for (int i = 0; i < count; i++)
                {
                    bytes.Add(scratch[i]);
                }
            }
        }

        var raw = bytes.ToArray();
        tokens.Add(new Token(TokenKind.String, new TextSpan(start, position), Encoding.UTF8.GetString(raw)) { BinaryValue = raw });
    }

    private void ReadEscape(List<byte> bytes)
    {
        if (position >= text.Length)
        {
            return;
        }

        char e = text[position++];
        switch (e)
        {
            case 'a': bytes.Add(7); break;
            case 'b': bytes.Add(8); break;
            case 'f': bytes.Add(12); break;
            case 'n': bytes.Add(10); break;
            case 'r': bytes.Add(13); break;
            case 't': bytes.Add(9); break;
            case 'v': bytes.Add(11); break;
            case 'x':
                int hex = 0, hexDigits = 0;
                while (hexDigits < 2 && position < text.Length && Uri.IsHexDigit(text[position]))
                {
                    hex = hex * 16 + Convert.ToInt32(text[position++].ToString(), 16);
                    hexDigits++;
                }

                bytes.Add((byte)hex);
                break;
            default:
                if (e >= '0' && e <= '7')
                {
                    int octal = e - '0';
                    for (int i = 0; i < 2 && position < text.Length && text[position] >= '0' && text[position] <= '7'; i++)
                    {
                        octal = octal * 8 + (text[position++] - '0');
                    }

                    bytes.Add((byte)octal);
                }
                else
                {
                    // \" \' \\ \? and anything else stand for themselves.
                    bytes.AddRange(Encoding.UTF8.GetBytes(e.ToString()));
                }

                break;
        }
    }

    private void LexBinary(int start)
    {
        position++; // opening quote
        var bytes = new List<byte>();
        int pending = -1;
        while (true)
        {
            if (position >= text.Length)
            {
                diagnostics.Error(source, new TextSpan(start, position), "Unterminated data literal.");
                break;
            }

            char c = text[position++];
            if (c == '"')
            {
                break;
            }

            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!Uri.IsHexDigit(c))
            {
                diagnostics.Error(source, new TextSpan(position - 1, position), "Data literals may contain only hex digits and whitespace.");
                continue;
            }

            int digit = Convert.ToInt32(c.ToString(), 16);
            if (pending < 0)
            {
                pending = digit;
            }
            else
            {
                bytes.Add((byte)(pending * 16 + digit));
                pending = -1;
            }
        }

        if (pending >= 0)
        {
            diagnostics.Error(source, new TextSpan(start, position), "Data literal has an odd number of hex digits.");
        }

        tokens.Add(new Token(TokenKind.Binary, new TextSpan(start, position), "0x\"\"") { BinaryValue = bytes.ToArray() });
    }
}
