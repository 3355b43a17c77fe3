namespace Hanzo.Zt.Capnp;

/// <summary>The schema name (and ordinal) of a generated member: a field, an enumerant or a method.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class CapnpNameAttribute(string name, int ordinal = -1) : Attribute
{
    /// <summary>The name as written in the schema.</summary>
    public string Name { get; } = name;

    /// <summary>The <c>@n</c> ordinal; -1 for groups and unions without one.</summary>
    public int Ordinal { get; } = ordinal;
}
