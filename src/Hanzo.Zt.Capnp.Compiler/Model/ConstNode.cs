namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A constant's type and evaluated value (schema.capnp's <c>Node.const</c>).</summary>
public sealed class ConstNode
{
    /// <summary>The declared type.</summary>
    public SchemaType Type { get; internal set; } = SchemaType.Void;

    /// <summary>The value, with references to other constants resolved.</summary>
    public SchemaValue Value { get; internal set; } = SchemaValue.VoidValue;
}
