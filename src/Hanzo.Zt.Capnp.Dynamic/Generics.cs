using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>
/// What the type parameters in scope are bound to: entering <c>Pair(Text, Item)</c> binds <c>Pair</c>'s
/// <c>A</c> and <c>B</c>, so a field of type <c>B</c> reads as an <c>Item</c>. Each binding remembers the scope it
/// was written in, for bindings that name outer parameters.
/// </summary>
internal sealed class Generics
{
    public static readonly Generics None = new(new Dictionary<ulong, Scope>());

    private readonly Dictionary<ulong, Scope> _scopes;

    private Generics(Dictionary<ulong, Scope> scopes) => _scopes = scopes;

    /// <summary>The type a (possibly parameter) type stands for here, and the scope to read it in.</summary>
    public (SchemaType Type, Generics Scope) Resolve(SchemaType type)
    {
        var scope = this;
        while (type.Kind == TypeKind.AnyPointer && type.AnyPointerKind == AnyPointerKind.Parameter
            && scope._scopes.TryGetValue(type.ParameterScopeId, out var bound)
            && type.ParameterIndex < bound.Bindings.Count && bound.Bindings[type.ParameterIndex] is { } binding)
        {
            type = binding;
            scope = bound.Where;
        }

        return (type, scope);
    }

    /// <summary>The scope inside a struct reached through a type with <paramref name="brand"/>.</summary>
    public Generics Enter(SchemaBrand brand)
    {
        if (brand.Scopes.Count == 0)
        {
            return this;
        }

        var scopes = new Dictionary<ulong, Scope>(_scopes);
        foreach (var scope in brand.Scopes)
        {
            if (scope.Bindings is { } bindings)
            {
                scopes[scope.ScopeId] = new Scope(bindings, this);
            }
        }

        return new Generics(scopes);
    }

    private sealed record Scope(IReadOnlyList<SchemaType?> Bindings, Generics Where);
}
