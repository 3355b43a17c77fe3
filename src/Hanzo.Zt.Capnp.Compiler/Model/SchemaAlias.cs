namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A <c>using</c> alias naming a generic struct or interface with arguments: its name and the branded type.</summary>
public sealed class SchemaAlias
{
    internal SchemaAlias(string name, SchemaType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The alias's name.</summary>
    public string Name { get; }

    /// <summary>The struct or interface type it names, with its brand.</summary>
    public SchemaType Type { get; }
}
