namespace Hanzo.Zt;

/// <summary>
/// Fixes a service method's Cap'n Proto ordinal, so methods can be reordered or added without breaking
/// callers built against an earlier version. Without it, ordinals follow declaration order.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ZtMethodAttribute(int ordinal) : Attribute
{
    /// <summary>The method's ordinal (<c>@n</c> in the schema).</summary>
    public int Ordinal { get; } = ordinal;
}
