namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>An interface method (schema.capnp's <c>Method</c>).</summary>
public sealed class SchemaMethod
{
    internal SchemaMethod(string name, int codeOrder, int ordinal)
    {
        Name = name;
        CodeOrder = codeOrder;
        Ordinal = ordinal;
    }

    /// <summary>The method's name.</summary>
    public string Name { get; }

    /// <summary>Position in the source.</summary>
    public int CodeOrder { get; }

    /// <summary>The <c>@N</c> ordinal, which is the method id on the wire.</summary>
    public int Ordinal { get; }

    /// <summary>Names of the method's own generic parameters (<c>foo @0 [T] ...</c>).</summary>
    public IReadOnlyList<string> ImplicitParameters { get; internal set; } = Array.Empty<string>();

    /// <summary>The parameter struct: an implicit <c>name$Params</c> node or a named struct.</summary>
    public ulong ParamStructType { get; internal set; }

    /// <summary>The parameter struct's brand.</summary>
    public SchemaBrand ParamBrand { get; internal set; } = SchemaBrand.Empty;

    /// <summary>The result struct: an implicit <c>name$Results</c> node or a named struct.</summary>
    public ulong ResultStructType { get; internal set; }

    /// <summary>The result struct's brand.</summary>
    public SchemaBrand ResultBrand { get; internal set; } = SchemaBrand.Empty;

    /// <summary>Annotations applied to the method.</summary>
    public IReadOnlyList<SchemaAnnotation> Annotations { get; internal set; } = Array.Empty<SchemaAnnotation>();

    /// <summary>The doc comment, or null.</summary>
    public string? DocComment { get; internal set; }
}
