namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>A method's own generic parameters, visible while compiling its parameter and result lists.</summary>
internal sealed class ImplicitParams
{
    public ImplicitParams(IReadOnlyList<string> names, ulong? paramStructId = null)
    {
        Names = names;
        ParamStructId = paramStructId;
    }

    public IReadOnlyList<string> Names { get; }

    // Inside an implicit params struct the method's parameters are that struct's own generic parameters.
    public ulong? ParamStructId { get; }
}
