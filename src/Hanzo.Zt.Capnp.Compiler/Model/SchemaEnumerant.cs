namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>One enumerant (schema.capnp's <c>Enumerant</c>).</summary>
public sealed class SchemaEnumerant
{
    internal SchemaEnumerant(string name, int codeOrder)
    {
        Name = name;
        CodeOrder = codeOrder;
    }

    /// <summary>The enumerant's name.</summary>
    public string Name { get; }

    /// <summary>Position in the source.</summary>
    public int CodeOrder { get; }

    /// <summary>Annotations applied to it.</summary>
    public IReadOnlyList<SchemaAnnotation> Annotations { get; internal set; } = Array.Empty<SchemaAnnotation>();

    /// <summary>The doc comment, or null.</summary>
    public string? DocComment { get; internal set; }
}
