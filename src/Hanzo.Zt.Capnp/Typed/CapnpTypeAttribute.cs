namespace Hanzo.Zt.Capnp;

/// <summary>
/// Marks generated code with the schema node it was generated from, so tools can map C# names (PascalCase)
/// back to the schema's names and ids.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Enum, AllowMultiple = false, Inherited = false)]
public sealed class CapnpTypeAttribute(ulong id, string displayName) : Attribute
{
    /// <summary>The node's 64-bit id.</summary>
    public ulong Id { get; } = id;

    /// <summary>The node's display name, e.g. <c>calculator.capnp:Calculator.Expression</c>.</summary>
    public string DisplayName { get; } = displayName;
}
