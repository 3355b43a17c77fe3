namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A named declaration nested in a node (schema.capnp's <c>Node.NestedNode</c>).</summary>
public sealed class NestedNode
{
    /// <summary>Creates an entry.</summary>
    public NestedNode(string name, ulong id)
    {
        Name = name;
        Id = id;
    }

    /// <summary>The unqualified name.</summary>
    public string Name { get; }

    /// <summary>The nested node's id.</summary>
    public ulong Id { get; }
}
