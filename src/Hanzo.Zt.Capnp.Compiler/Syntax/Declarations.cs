namespace Hanzo.Zt.Capnp.Compiler.Syntax;

/// <summary>One declaration of the schema language; kind-specific parts live in the subclasses below.</summary>
internal class Declaration
{
    public Declaration(DeclarationKind kind, string name, TextSpan nameSpan)
    {
        Kind = kind;
        Name = name;
        NameSpan = nameSpan;
    }

    public DeclarationKind Kind { get; }

    // Empty for the file and for an unnamed union.
    public string Name { get; }

    public TextSpan NameSpan { get; }

    public TextSpan Span { get; set; }

    // "@0x..." on types, consts, annotations and files.
    public ulong? ExplicitId { get; set; }

    // "@N" on fields, enumerants, methods and (retroactively) unions.
    public int? Ordinal { get; set; }

    public TextSpan IdSpan { get; set; }

    public List<GenericParameter> TypeParameters { get; } = new();

    public List<AnnotationApplicationSyntax> Annotations { get; } = new();

    public List<Declaration> Members { get; } = new();

    public string? DocComment { get; set; }
}

internal sealed class GenericParameter
{
    public GenericParameter(string name, TextSpan span)
    {
        Name = name;
        Span = span;
    }

    public string Name { get; }

    public TextSpan Span { get; }
}

internal sealed class UsingDeclaration : Declaration
{
    public UsingDeclaration(string name, TextSpan nameSpan, Expression target)
        : base(DeclarationKind.Using, name, nameSpan) => Target = target;

    public Expression Target { get; }
}

internal sealed class ConstDeclaration : Declaration
{
    public ConstDeclaration(string name, TextSpan nameSpan, Expression type, Expression value)
        : base(DeclarationKind.Const, name, nameSpan)
    {
        Type = type;
        Value = value;
    }

    public Expression Type { get; }

    public Expression Value { get; }
}

internal sealed class FieldDeclaration : Declaration
{
    public FieldDeclaration(string name, TextSpan nameSpan, Expression type, Expression? defaultValue)
        : base(DeclarationKind.Field, name, nameSpan)
    {
        Type = type;
        DefaultValue = defaultValue;
    }

    public Expression Type { get; }

    public Expression? DefaultValue { get; }
}

internal sealed class InterfaceDeclaration : Declaration
{
    public InterfaceDeclaration(string name, TextSpan nameSpan)
        : base(DeclarationKind.Interface, name, nameSpan)
    {
    }

    public List<Expression> Superclasses { get; } = new();
}

internal sealed class MethodDeclaration : Declaration
{
    public MethodDeclaration(string name, TextSpan nameSpan, ParamList parameters, ParamList? results)
        : base(DeclarationKind.Method, name, nameSpan)
    {
        Parameters = parameters;
        Results = results;
    }

    public ParamList Parameters { get; }

    // Null when the method has no "->": the results are then an empty struct.
    public ParamList? Results { get; }
}

internal sealed class AnnotationDeclaration : Declaration
{
    public AnnotationDeclaration(string name, TextSpan nameSpan, IReadOnlyList<(string Name, TextSpan Span)> targets, Expression type)
        : base(DeclarationKind.Annotation, name, nameSpan)
    {
        Targets = targets;
        Type = type;
    }

    public IReadOnlyList<(string Name, TextSpan Span)> Targets { get; }

    public Expression Type { get; }
}

/// <summary>A method's parameters or results: an inline list <c>(a :T, b :U)</c> or a struct type.</summary>
internal sealed class ParamList
{
    public ParamList(TextSpan span, IReadOnlyList<Param>? named, Expression? type)
    {
        Span = span;
        Named = named;
        Type = type;
    }

    public TextSpan Span { get; }

    public IReadOnlyList<Param>? Named { get; }

    public Expression? Type { get; }
}

internal sealed class Param
{
    public Param(string name, TextSpan nameSpan, Expression type, Expression? defaultValue, List<AnnotationApplicationSyntax> annotations, TextSpan span)
    {
        Name = name;
        NameSpan = nameSpan;
        Type = type;
        DefaultValue = defaultValue;
        Annotations = annotations;
        Span = span;
    }

    public string Name { get; }

    public TextSpan NameSpan { get; }

    public Expression Type { get; }

    public Expression? DefaultValue { get; }

    public List<AnnotationApplicationSyntax> Annotations { get; }

    public TextSpan Span { get; }
}

internal sealed class AnnotationApplicationSyntax
{
    public AnnotationApplicationSyntax(Expression name, Expression? value, TextSpan span)
    {
        Name = name;
        Value = value;
        Span = span;
    }

    // The annotation's name, possibly branded: $Foo(Text).bar is not valid, but $foo and $mod.foo are.
    public Expression Name { get; }

    // Null for "$foo" (a Void annotation).
    public Expression? Value { get; }

    public TextSpan Span { get; }
}
