namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>What a name expression refers to, with any generic arguments applied along the way.</summary>
internal sealed class Resolution
{
    public ResolutionKind Kind { get; init; }

    public DeclaredNode? Node { get; init; }

    // For builtins: the type (null for List, which needs an argument).
    public SchemaType? Builtin { get; init; }

    public ulong ParameterScopeId { get; init; }

    public int ParameterIndex { get; init; }

    // Generic scope id -> arguments applied with Foo(A, B).
    public Dictionary<ulong, IReadOnlyList<SchemaType?>> Bindings { get; init; } = new();
}

internal enum ResolutionKind
{
    Node,
    Builtin,
    ListBuiltin,
    Parameter,
    ImplicitParameter,
}
