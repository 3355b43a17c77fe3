namespace Hanzo.Zt.Capnp.Compiler.Syntax;

internal sealed class Token
{
    public Token(TokenKind kind, TextSpan span, string text)
    {
        Kind = kind;
        Span = span;
        Text = text;
    }

    public TokenKind Kind { get; }

    public TextSpan Span { get; }

    // Identifier name, symbol characters, or decoded string literal.
    public string Text { get; }

    public ulong IntegerValue { get; init; }

    public double FloatValue { get; init; }

    public byte[] BinaryValue { get; init; } = Array.Empty<byte>();

    // False when an integer literal did not fit in 64 bits.
    public bool InRange { get; init; } = true;

    // The '#' comment lines that follow this token before the next one: a doc comment
    // when this token ends a declaration (';') or opens its body ('{').
    public string? TrailingComment { get; set; }

    public bool Is(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && Text == keyword;

    public override string ToString() => Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.String => "string literal",
        TokenKind.Binary => "data literal",
        _ => $"'{Text}'",
    };
}
