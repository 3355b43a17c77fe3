namespace Hanzo.Zt.Capnp.Compiler.Syntax;

/// <summary>The declaration grammar: one statement ends in ';' or in a '{...}' block of member statements.</summary>
internal sealed partial class Parser
{
    /// <summary>Parses one statement in a scope of the given kind; null when it was not a declaration (already reported).</summary>
    private Declaration? ParseStatement(DeclarationKind parentKind)
    {
        var first = Current;
        if (first.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.Identifier || first.IsKeyword("using"))
        {
            switch (first.Text)
            {
                case "using": return ParseUsing();
                case "const": return ParseConst();
                case "enum": return ParseTypeDeclaration(DeclarationKind.Enum);
                case "struct": return ParseTypeDeclaration(DeclarationKind.Struct);
                case "interface": return ParseTypeDeclaration(DeclarationKind.Interface);
                case "annotation": return ParseAnnotationDeclaration();
            }
        }

        if (first.IsKeyword("union") && (Peek(1).Is("{") || Peek(1).Is("$")))
        {
            Advance();
            var union = new Declaration(DeclarationKind.Union, string.Empty, first.Span);
            union.Annotations.AddRange(ParseAnnotations());
            ParseBlock(union, DeclarationKind.Union);
            union.Span = TextSpan.Cover(first.Span, tokens[index - 1].Span);
            return union;
        }

        if (first.Kind != TokenKind.Identifier)
        {
            throw Fail($"Parse error: expected a declaration but found {first}.");
        }

        return ParseMember(parentKind);
    }

    private Declaration ParseMember(DeclarationKind parentKind)
    {
        var name = Advance();
        int? ordinal = null;
        TextSpan ordinalSpan = default;
        if (TryConsume("@"))
        {
            var number = ExpectInteger();
            ordinal = number.InRange && number.IntegerValue <= 65535 ? (int)number.IntegerValue : 65535;
            ordinalSpan = number.Span;
            if (number.IntegerValue > 65535)
            {
                Error(number.Span, "Ordinal must be at most 65535.");
            }
        }

        Declaration declaration;
        if (parentKind == DeclarationKind.Enum && ordinal is not null)
        {
            declaration = new Declaration(DeclarationKind.Enumerant, name.Text, name.Span);
        }
        else if (parentKind == DeclarationKind.Interface && ordinal is not null && !Current.Is(":"))
        {
            declaration = ParseMethod(name);
        }
        else
        {
            Expect(":");
            if (Current.IsKeyword("union") || Current.IsKeyword("group"))
            {
                var kind = Advance().Text == "union" ? DeclarationKind.Union : DeclarationKind.Group;
                var compound = new Declaration(kind, name.Text, name.Span) { Ordinal = ordinal, IdSpan = ordinalSpan };
                if (kind == DeclarationKind.Group && ordinal is not null)
                {
                    Error(ordinalSpan, "Groups don't have ordinals.");
                }

                compound.Annotations.AddRange(ParseAnnotations());
                ParseBlock(compound, kind);
                compound.Span = TextSpan.Cover(name.Span, tokens[index - 1].Span);
                return compound;
            }

            if (ordinal is null)
            {
                throw Fail("Parse error: a field needs an ordinal, e.g. 'name @0 :Type'.");
            }

            var type = ParseExpression();
            Expression? defaultValue = TryConsume("=") ? ParseExpression() : null;
            declaration = new FieldDeclaration(name.Text, name.Span, type, defaultValue);
        }

        if (ordinal is null)
        {
            throw Fail("Parse error: expected '@' and an ordinal.");
        }

        declaration.Ordinal = ordinal;
        declaration.IdSpan = ordinalSpan;
        declaration.Annotations.AddRange(ParseAnnotations());
        var end = Expect(";");
        declaration.DocComment = end.TrailingComment;
        declaration.Span = TextSpan.Cover(name.Span, end.Span);
        return declaration;
    }

    private MethodDeclaration ParseMethod(Token name)
    {
        var implicitParameters = new List<GenericParameter>();
        if (TryConsume("["))
        {
            do
            {
                var parameter = ExpectIdentifier();
                implicitParameters.Add(new GenericParameter(parameter.Text, parameter.Span));
            }
            while (TryConsume(","));
            Expect("]");
        }

        var parameters = ParseParamList();
        ParamList? results = TryConsume("->") ? ParseParamList() : null;
        var method = new MethodDeclaration(name.Text, name.Span, parameters, results);
        method.TypeParameters.AddRange(implicitParameters);
        return method;
    }

    private ParamList ParseParamList()
    {
        var open = Current;
        if (!open.Is("("))
        {
            var type = ParseExpression();
            return new ParamList(type.Span, null, type);
        }

        Advance();
        var parameters = new List<Param>();
        if (!Current.Is(")"))
        {
            do
            {
                var name = ExpectIdentifier();
                Expect(":");
                var type = ParseExpression();
                Expression? defaultValue = TryConsume("=") ? ParseExpression() : null;
                var annotations = ParseAnnotations();
                parameters.Add(new Param(name.Text, name.Span, type, defaultValue, annotations, TextSpan.Cover(name.Span, tokens[index - 1].Span)));
            }
            while (TryConsume(","));
        }

        var close = Expect(")");
        return new ParamList(TextSpan.Cover(open.Span, close.Span), parameters, null);
    }

    private Declaration ParseUsing()
    {
        var keyword = Advance();
        string name = string.Empty;
        TextSpan nameSpan = default;
        if (Current.Kind == TokenKind.Identifier && Peek(1).Is("="))
        {
            var nameToken = Advance();
            name = nameToken.Text;
            nameSpan = nameToken.Span;
            Advance();
        }

        var target = ParseExpression();
        if (name.Length == 0)
        {
            if (target is MemberExpression member)
            {
                name = member.Name;
                nameSpan = member.NameSpan;
            }
            else
            {
                Error(target.Span, "'using' declaration without '=' must specify a named declaration from a different scope.");
            }
        }

        var end = Expect(";");
        return new UsingDeclaration(name, nameSpan, target) { Span = TextSpan.Cover(keyword.Span, end.Span), DocComment = end.TrailingComment };
    }

    private Declaration ParseConst()
    {
        var keyword = Advance();
        var name = ExpectIdentifier();
        var (id, idSpan) = ParseOptionalId();
        Expect(":");
        var type = ParseExpression();
        Expect("=");
        var value = ParseExpression();
        var declaration = new ConstDeclaration(name.Text, name.Span, type, value) { ExplicitId = id, IdSpan = idSpan };
        declaration.Annotations.AddRange(ParseAnnotations());
        var end = Expect(";");
        declaration.DocComment = end.TrailingComment;
        declaration.Span = TextSpan.Cover(keyword.Span, end.Span);
        return declaration;
    }

    private Declaration ParseTypeDeclaration(DeclarationKind kind)
    {
        var keyword = Advance();
        var name = ExpectIdentifier();
        var (id, idSpan) = ParseOptionalId();
        Declaration declaration = kind == DeclarationKind.Interface
            ? new InterfaceDeclaration(name.Text, name.Span)
            : new Declaration(kind, name.Text, name.Span);
        declaration.ExplicitId = id;
        declaration.IdSpan = idSpan;
        if (kind != DeclarationKind.Enum && TryConsume("("))
        {
            do
            {
                var parameter = ExpectIdentifier();
                declaration.TypeParameters.Add(new GenericParameter(parameter.Text, parameter.Span));
            }
            while (TryConsume(","));
            Expect(")");
        }

        if (declaration is InterfaceDeclaration interfaceDeclaration && Current.IsKeyword("extends"))
        {
            Advance();
            Expect("(");
            if (!Current.Is(")"))
            {
                do
                {
                    interfaceDeclaration.Superclasses.Add(ParseExpression());
                }
                while (TryConsume(","));
            }

            Expect(")");
        }

        declaration.Annotations.AddRange(ParseAnnotations());
        ParseBlock(declaration, kind);
        declaration.Span = TextSpan.Cover(keyword.Span, tokens[index - 1].Span);
        return declaration;
    }

    private Declaration ParseAnnotationDeclaration()
    {
        var keyword = Advance();
        var name = ExpectIdentifier();
        var (id, idSpan) = ParseOptionalId();
        Expect("(");
        var targets = new List<(string, TextSpan)>();
        do
        {
            var target = Current.Is("*") ? Advance() : ExpectIdentifier();
            targets.Add((target.Text, target.Span));
        }
        while (TryConsume(","));
        Expect(")");
        Expect(":");
        var type = ParseExpression();
        var declaration = new AnnotationDeclaration(name.Text, name.Span, targets, type) { ExplicitId = id, IdSpan = idSpan };
        declaration.Annotations.AddRange(ParseAnnotations());
        var end = Expect(";");
        declaration.DocComment = end.TrailingComment;
        declaration.Span = TextSpan.Cover(keyword.Span, end.Span);
        return declaration;
    }

    private (ulong? Id, TextSpan Span) ParseOptionalId()
    {
        if (!Current.Is("@"))
        {
            return (null, default);
        }

        var at = Advance();
        var number = ExpectInteger();
        return (number.IntegerValue, TextSpan.Cover(at.Span, number.Span));
    }

    private void ParseBlock(Declaration parent, DeclarationKind kind)
    {
        Enter();
        var open = Expect("{");
        parent.DocComment = open.TrailingComment;
        while (!Current.Is("}"))
        {
            if (Current.Kind == TokenKind.EndOfFile)
            {
                Error(open.Span, "Parse error: '{' is never closed.");
                Leave();
                return;
            }

            int start = index;
            try
            {
                if (ParseStatement(kind) is { } member)
                {
                    parent.Members.Add(member);
                }
            }
            catch (SyntaxError)
            {
                Recover(start);
            }
        }

        Advance();
        Leave();
    }

    private List<AnnotationApplicationSyntax> ParseAnnotations()
    {
        var annotations = new List<AnnotationApplicationSyntax>();
        while (Current.Is("$"))
        {
            var dollar = Advance();
            var name = ParseName();
            Expression? value = null;
            if (Current.Is("("))
            {
                var tuple = ParseTuple();
                value = tuple.Elements.Count == 1 && tuple.Elements[0].Name is null ? tuple.Elements[0].Value : tuple;
            }

            annotations.Add(new AnnotationApplicationSyntax(name, value, TextSpan.Cover(dollar.Span, tokens[index - 1].Span)));
        }

        return annotations;
    }
}
