namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>The kinds of declaration an annotation may be applied to (schema.capnp's <c>targets*</c> flags).</summary>
[Flags]
public enum AnnotationTargets
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Files.</summary>
    File = 1 << 0,

    /// <summary>Constants.</summary>
    Const = 1 << 1,

    /// <summary>Enums.</summary>
    Enum = 1 << 2,

    /// <summary>Enumerants.</summary>
    Enumerant = 1 << 3,

    /// <summary>Structs.</summary>
    Struct = 1 << 4,

    /// <summary>Fields.</summary>
    Field = 1 << 5,

    /// <summary>Unions.</summary>
    Union = 1 << 6,

    /// <summary>Groups.</summary>
    Group = 1 << 7,

    /// <summary>Interfaces.</summary>
    Interface = 1 << 8,

    /// <summary>Methods.</summary>
    Method = 1 << 9,

    /// <summary>Method parameters.</summary>
    Param = 1 << 10,

    /// <summary>Annotation declarations.</summary>
    Annotation = 1 << 11,

    /// <summary><c>*</c>: everything.</summary>
    All = (1 << 12) - 1,
}
