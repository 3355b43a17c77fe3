namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>An enum's enumerants, sorted by ordinal (schema.capnp's <c>Node.enum</c>).</summary>
public sealed class EnumNode
{
    /// <summary>The enumerants; an enumerant's value is its index here.</summary>
    public IReadOnlyList<SchemaEnumerant> Enumerants { get; internal set; } = Array.Empty<SchemaEnumerant>();
}
