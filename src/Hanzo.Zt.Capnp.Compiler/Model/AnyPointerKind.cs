namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>What an <see cref="TypeKind.AnyPointer"/> type stands for.</summary>
public enum AnyPointerKind
{
    /// <summary><c>AnyPointer</c>: any pointer.</summary>
    AnyKind,

    /// <summary><c>AnyStruct</c>.</summary>
    AnyStruct,

    /// <summary><c>AnyList</c>.</summary>
    AnyList,

    /// <summary><c>Capability</c>.</summary>
    Capability,

    /// <summary>A generic parameter of an enclosing struct or interface.</summary>
    Parameter,

    /// <summary>A generic parameter of a method (<c>foo @0 [T] ...</c>).</summary>
    ImplicitMethodParameter,
}
