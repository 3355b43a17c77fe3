namespace Hanzo.Zt.Capnp.Compiler.Syntax;

/// <summary>
/// A value or type expression. The schema language uses one grammar for both: <c>List(Foo)</c>
/// and <c>(a = 1)</c> are told apart only when the expression is compiled against what is expected.
/// </summary>
internal abstract class Expression
{
    protected Expression(TextSpan span) => Span = span;

    public TextSpan Span { get; }
}

internal sealed class IntegerExpression : Expression
{
    public IntegerExpression(TextSpan span, ulong magnitude, bool negative, bool inRange)
        : base(span)
    {
        Magnitude = magnitude;
        Negative = negative;
        InRange = inRange;
    }

    public ulong Magnitude { get; }

    public bool Negative { get; }

    public bool InRange { get; }
}

internal sealed class FloatExpression : Expression
{
    public FloatExpression(TextSpan span, double value)
        : base(span) => Value = value;

    public double Value { get; }
}

internal sealed class StringExpression : Expression
{
    public StringExpression(TextSpan span, string value, byte[] bytes)
        : base(span)
    {
        Value = value;
        Bytes = bytes;
    }

    public string Value { get; }

    // The literal's bytes as written: escapes such as \xfe are bytes, not UTF-8 text, when the literal is Data.
    public byte[] Bytes { get; }
}

internal sealed class BinaryExpression : Expression
{
    public BinaryExpression(TextSpan span, byte[] value)
        : base(span) => Value = value;

    public byte[] Value { get; }
}

/// <summary>A bare identifier, looked up through the enclosing scopes (or an enumerant, or a builtin).</summary>
internal sealed class NameExpression : Expression
{
    public NameExpression(TextSpan span, string name, bool absolute)
        : base(span)
    {
        Name = name;
        Absolute = absolute;
    }

    public string Name { get; }

    // ".Foo": looked up from the file scope only.
    public bool Absolute { get; }
}

internal sealed class MemberExpression : Expression
{
    public MemberExpression(TextSpan span, Expression target, string name, TextSpan nameSpan)
        : base(span)
    {
        Target = target;
        Name = name;
        NameSpan = nameSpan;
    }

    public Expression Target { get; }

    public string Name { get; }

    public TextSpan NameSpan { get; }
}

/// <summary><c>Target(args)</c>: a generic brand such as <c>List(Int32)</c> or <c>Map(Text, Foo)</c>.</summary>
internal sealed class ApplicationExpression : Expression
{
    public ApplicationExpression(TextSpan span, Expression target, IReadOnlyList<Argument> arguments)
        : base(span)
    {
        Target = target;
        Arguments = arguments;
    }

    public Expression Target { get; }

    public IReadOnlyList<Argument> Arguments { get; }
}

/// <summary><c>(a = 1, b = "x")</c>: a struct literal, or a parenthesized positional list.</summary>
internal sealed class TupleExpression : Expression
{
    public TupleExpression(TextSpan span, IReadOnlyList<Argument> elements)
        : base(span) => Elements = elements;

    public IReadOnlyList<Argument> Elements { get; }
}

internal sealed class ListExpression : Expression
{
    public ListExpression(TextSpan span, IReadOnlyList<Expression> items)
        : base(span) => Items = items;

    public IReadOnlyList<Expression> Items { get; }
}

internal sealed class ImportExpression : Expression
{
    public ImportExpression(TextSpan span, string path, bool embed)
        : base(span)
    {
        Path = path;
        Embed = embed;
    }

    public string Path { get; }

    // embed "file": the file's bytes as a Data or Text value rather than a schema.
    public bool Embed { get; }
}

/// <summary>Stands in where parsing failed, so later phases stay quiet about an error already reported.</summary>
internal sealed class ErrorExpression : Expression
{
    public ErrorExpression(TextSpan span)
        : base(span)
    {
    }
}

internal sealed class Argument
{
    public Argument(string? name, TextSpan nameSpan, Expression value)
    {
        Name = name;
        NameSpan = nameSpan;
        Value = value;
    }

    public string? Name { get; }

    public TextSpan NameSpan { get; }

    public Expression Value { get; }
}
