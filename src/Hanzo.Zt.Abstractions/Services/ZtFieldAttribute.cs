namespace Hanzo.Zt;

/// <summary>
/// Fixes the Cap'n Proto ordinal of a property or parameter of a <see cref="ZtServiceAttribute"/>
/// interface's messages, for schema evolution. Without it, ordinals follow declaration order.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ZtFieldAttribute(int ordinal) : Attribute
{
    /// <summary>The field's ordinal (<c>@n</c> in the schema).</summary>
    public int Ordinal { get; } = ordinal;
}
