namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>A method's own generic parameters, visible while compiling its parameter and result lists.</summary>
internal sealed class ImplicitParams
{
    public ImplicitParams(IReadOnlyList<string> names) => Names = names;

    public IReadOnlyList<string> Names { get; }
}
