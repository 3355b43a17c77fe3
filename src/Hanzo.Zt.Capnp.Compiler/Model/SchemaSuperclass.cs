namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>An interface named in <c>extends(...)</c>, with the brand it is applied with.</summary>
public sealed class SchemaSuperclass
{
    internal SchemaSuperclass(ulong id, SchemaBrand brand)
    {
        Id = id;
        Brand = brand;
    }

    /// <summary>The superclass's node id.</summary>
    public ulong Id { get; }

    /// <summary>Generic arguments, if any.</summary>
    public SchemaBrand Brand { get; }
}
