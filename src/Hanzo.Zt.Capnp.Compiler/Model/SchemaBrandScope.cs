namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>The arguments for one generic scope (schema.capnp's <c>Brand.Scope</c>).</summary>
public sealed class SchemaBrandScope
{
    internal SchemaBrandScope(ulong scopeId, IReadOnlyList<SchemaType?>? bindings)
    {
        ScopeId = scopeId;
        Bindings = bindings;
    }

    /// <summary>The struct or interface whose parameters are bound.</summary>
    public ulong ScopeId { get; }

    /// <summary>The arguments in parameter order (null entries are unbound); null means "inherit" the enclosing binding.</summary>
    public IReadOnlyList<SchemaType?>? Bindings { get; }
}
