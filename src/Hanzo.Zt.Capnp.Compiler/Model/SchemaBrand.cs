namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>The generic arguments a type is used with (schema.capnp's <c>Brand</c>).</summary>
public sealed class SchemaBrand
{
    internal SchemaBrand(IReadOnlyList<SchemaBrandScope> scopes) => Scopes = scopes;

    /// <summary>No arguments: the type is not generic, or is used unbound.</summary>
    public static SchemaBrand Empty { get; } = new(Array.Empty<SchemaBrandScope>());

    /// <summary>One entry per generic scope that is bound or inherited.</summary>
    public IReadOnlyList<SchemaBrandScope> Scopes { get; }
}
