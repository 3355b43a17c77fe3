namespace Hanzo.Zt.Capnp.Compiler.Syntax;

/// <summary>The expression grammar shared by types, default values, constants and annotation values.</summary>
internal sealed partial class Parser
{
    private Expression ParseExpression()
    {
        Enter();
        try
        {
            var expression = ParsePrimary();
            while (true)
            {
                if (Current.Is("."))
                {
                    Advance();
                    var member = ExpectIdentifier();
                    expression = new MemberExpression(TextSpan.Cover(expression.Span, member.Span), expression, member.Text, member.Span);
                }
                else if (Current.Is("(") && expression is NameExpression or MemberExpression)
                {
                    var arguments = ParseTuple();
                    expression = new ApplicationExpression(TextSpan.Cover(expression.Span, arguments.Span), expression, arguments.Elements);
                }
                else
                {
                    return expression;
                }
            }
        }
        finally
        {
            Leave();
        }
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Integer:
                Advance();
                return new IntegerExpression(token.Span, token.IntegerValue, negative: false, token.InRange);
            case TokenKind.Float:
                Advance();
                return new FloatExpression(token.Span, token.FloatValue);
            case TokenKind.String:
                Advance();
                return new StringExpression(token.Span, token.Text, token.BinaryValue);
            case TokenKind.Binary:
                Advance();
                return new BinaryExpression(token.Span, token.BinaryValue);
            case TokenKind.Identifier when (token.Text == "import" || token.Text == "embed") && Peek(1).Kind == TokenKind.String:
                Advance();
                var path = Advance();
                return new ImportExpression(TextSpan.Cover(token.Span, path.Span), path.Text, token.Text == "embed");
            case TokenKind.Identifier:
                Advance();
                return new NameExpression(token.Span, token.Text, absolute: false);
        }

        if (token.Is("-"))
        {
            Advance();
            var operand = Current;
            if (operand.Kind == TokenKind.Integer)
            {
                Advance();
                return new IntegerExpression(TextSpan.Cover(token.Span, operand.Span), operand.IntegerValue, negative: true, operand.InRange);
            }

            if (operand.Kind == TokenKind.Float)
            {
                Advance();
                return new FloatExpression(TextSpan.Cover(token.Span, operand.Span), -operand.FloatValue);
            }

            if (operand.IsKeyword("inf"))
            {
                Advance();
                return new FloatExpression(TextSpan.Cover(token.Span, operand.Span), double.NegativeInfinity);
            }

            throw Fail($"Parse error: expected a number after '-' but found {operand}.");
        }

        if (token.Is("."))
        {
            Advance();
            var name = ExpectIdentifier();
            return new NameExpression(TextSpan.Cover(token.Span, name.Span), name.Text, absolute: true);
        }

        if (token.Is("("))
        {
            return ParseTuple();
        }

        if (token.Is("["))
        {
            Advance();
            var items = new List<Expression>();
            if (!Current.Is("]"))
            {
                do
                {
                    items.Add(ParseExpression());
                }
                while (TryConsume(","));
            }

            var close = Expect("]");
            return new ListExpression(TextSpan.Cover(token.Span, close.Span), items);
        }

        throw Fail($"Parse error: expected an expression but found {token}.");
    }

    private TupleExpression ParseTuple()
    {
        Enter();
        var open = Expect("(");
        var elements = new List<Argument>();
        if (!Current.Is(")"))
        {
            do
            {
                if (Current.Kind == TokenKind.Identifier && Peek(1).Is("="))
                {
                    var name = Advance();
                    Advance();
                    elements.Add(new Argument(name.Text, name.Span, ParseExpression()));
                }
                else
                {
                    var value = ParseExpression();
                    elements.Add(new Argument(null, value.Span, value));
                }
            }
            while (TryConsume(","));
        }

        var close = Expect(")");
        Leave();
        return new TupleExpression(TextSpan.Cover(open.Span, close.Span), elements);
    }

    /// <summary>An annotation name: <c>foo</c>, <c>.foo</c> or <c>mod.foo</c>, without the application a value would allow.</summary>
    private Expression ParseName()
    {
        Expression expression;
        if (Current.Is("."))
        {
            var dot = Advance();
            var first = ExpectIdentifier();
            expression = new NameExpression(TextSpan.Cover(dot.Span, first.Span), first.Text, absolute: true);
        }
        else if (Current.IsKeyword("import") && Peek(1).Kind == TokenKind.String)
        {
            expression = ParsePrimary();
        }
        else
        {
            var first = ExpectIdentifier();
            expression = new NameExpression(first.Span, first.Text, absolute: false);
        }

        while (Current.Is(".") && Peek(1).Kind == TokenKind.Identifier)
        {
            Advance();
            var member = Advance();
            expression = new MemberExpression(TextSpan.Cover(expression.Span, member.Span), expression, member.Text, member.Span);
        }

        return expression;
    }
}
