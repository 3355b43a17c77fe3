namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>An interface's methods and superclasses (schema.capnp's <c>Node.interface</c>).</summary>
public sealed class InterfaceNode
{
    /// <summary>The methods, sorted by ordinal.</summary>
    public IReadOnlyList<SchemaMethod> Methods { get; internal set; } = Array.Empty<SchemaMethod>();

    /// <summary>The interfaces named in <c>extends(...)</c>.</summary>
    public IReadOnlyList<SchemaSuperclass> Superclasses { get; internal set; } = Array.Empty<SchemaSuperclass>();
}
