namespace Hanzo.Zt.Capnp;

/// <summary>What a pointer points at.</summary>
public enum PointerKind
{
    /// <summary>A null pointer (all zero).</summary>
    Null,

    /// <summary>A struct.</summary>
    Struct,

    /// <summary>A list (including text and data).</summary>
    List,

    /// <summary>A capability: an index into the message's capability table.</summary>
    Capability,
}
