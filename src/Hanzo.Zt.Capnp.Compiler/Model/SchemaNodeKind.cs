namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>What a <see cref="SchemaNode"/> declares (schema.capnp's <c>Node</c> union).</summary>
public enum SchemaNodeKind
{
    /// <summary>A schema file.</summary>
    File,

    /// <summary>A struct, a group, or a method's implicit parameter or result struct.</summary>
    Struct,

    /// <summary>An enum.</summary>
    Enum,

    /// <summary>An interface.</summary>
    Interface,

    /// <summary>A constant.</summary>
    Const,

    /// <summary>An annotation declaration.</summary>
    Annotation,
}
