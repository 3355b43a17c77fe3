namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>An annotation declaration's value type and targets (schema.capnp's <c>Node.annotation</c>).</summary>
public sealed class AnnotationNode
{
    /// <summary>The type of the annotation's value.</summary>
    public SchemaType Type { get; internal set; } = SchemaType.Void;

    /// <summary>The kinds of declaration it may be applied to.</summary>
    public AnnotationTargets Targets { get; internal set; }
}
