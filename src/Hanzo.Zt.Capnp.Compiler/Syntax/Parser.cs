namespace Hanzo.Zt.Capnp.Compiler.Syntax;

/// <summary>
/// Recursive-descent parser for the schema language. On a syntax error it reports, skips to the end
/// of the statement (the next ';' or the end of a '{...}' block) and carries on, so one run reports
/// every broken statement. The declaration and expression grammars live in the other parts.
/// </summary>
internal sealed partial class Parser
{
    // Deeper nesting than this is hostile input; stop before the stack does.
    private const int MaxDepth = 256;

    private readonly SourceText source;
    private readonly DiagnosticBag diagnostics;
    private readonly List<Token> tokens;
    private int index;
    private int depth;

    private Parser(SourceText source, DiagnosticBag diagnostics)
    {
        this.source = source;
        this.diagnostics = diagnostics;
        tokens = Lexer.Tokenize(source, diagnostics);
    }

    private Token Current => tokens[index];

    /// <summary>Parses one file; the result is a <see cref="DeclarationKind.File"/> declaration holding the top-level ones.</summary>
    public static Declaration ParseFile(SourceText source, DiagnosticBag diagnostics)
    {
        var parser = new Parser(source, diagnostics);
        return parser.ParseFileDeclaration();
    }

    private Declaration ParseFileDeclaration()
    {
        var file = new Declaration(DeclarationKind.File, string.Empty, default);
        while (Current.Kind != TokenKind.EndOfFile)
        {
            int start = index;
            try
            {
                if (Current.Is("@"))
                {
                    ParseFileId(file);
                }
                else if (Current.Is("$"))
                {
                    file.Annotations.AddRange(ParseAnnotations());
                    Expect(";");
                }
                else if (Current.Is("}"))
                {
                    Error(Current.Span, "Unmatched '}'.");
                    Advance();
                }
                else if (ParseStatement(DeclarationKind.File) is { } declaration)
                {
                    file.Members.Add(declaration);
                }
            }
            catch (SyntaxError)
            {
                Recover(start);
            }
        }

        file.Span = new TextSpan(0, source.Text.Length);
        return file;
    }

    private void ParseFileId(Declaration file)
    {
        var at = Advance();
        var id = ExpectInteger();
        if (file.ExplicitId is not null)
        {
            Error(TextSpan.Cover(at.Span, id.Span), "File ID already specified.");
        }
        else
        {
            file.ExplicitId = id.IntegerValue;
            file.IdSpan = TextSpan.Cover(at.Span, id.Span);
        }

        file.DocComment = Expect(";").TrailingComment;
    }

    private Token Advance()
    {
        var token = tokens[index];
        if (token.Kind != TokenKind.EndOfFile)
        {
            index++;
        }

        return token;
    }

    private Token Peek(int ahead) => tokens[Math.Min(index + ahead, tokens.Count - 1)];

    private bool TryConsume(string symbol)
    {
        if (Current.Is(symbol))
        {
            index++;
            return true;
        }

        return false;
    }

    private Token Expect(string symbol)
    {
        if (!Current.Is(symbol))
        {
            throw Fail($"Parse error: expected '{symbol}' but found {Current}.");
        }

        return Advance();
    }

    private Token ExpectIdentifier()
    {
        if (Current.Kind != TokenKind.Identifier)
        {
            throw Fail($"Parse error: expected a name but found {Current}.");
        }

        return Advance();
    }

    private Token ExpectInteger()
    {
        if (Current.Kind != TokenKind.Integer)
        {
            throw Fail($"Parse error: expected an integer but found {Current}.");
        }

        var token = Advance();
        if (!token.InRange)
        {
            Error(token.Span, "Integer is too big.");
        }

        return token;
    }

    private void Error(TextSpan span, string message) => diagnostics.Error(source, span, message);

    private SyntaxError Fail(string message)
    {
        Error(Current.Span, message);
        return new SyntaxError();
    }

    private void Enter()
    {
        if (++depth > MaxDepth)
        {
            depth = 0;
            throw Fail("Parse error: nesting is too deep.");
        }
    }

    private void Leave() => depth--;

    /// <summary>Skips the rest of a broken statement: through the next ';' or past a balanced '{...}' block.</summary>
    private void Recover(int statementStart)
    {
        depth = 0;
        if (index == statementStart)
        {
            Advance();
        }

        int nesting = 0;
        while (Current.Kind != TokenKind.EndOfFile)
        {
            if (Current.Is("{"))
            {
                nesting++;
            }
            else if (Current.Is("}"))
            {
                if (nesting == 0)
                {
                    // Belongs to the enclosing block; let it close that block.
                    return;
                }

                if (--nesting == 0)
                {
                    Advance();
                    return;
                }
            }
            else if (Current.Is(";") && nesting == 0)
            {
                Advance();
                return;
            }

            Advance();
        }
    }

    /// <summary>Unwinds the parser to the statement being parsed; the message is already reported.</summary>
    private sealed class SyntaxError : Exception
    {
    }
}
