using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>A schema failed to compile, or a value does not fit its schema type (<see cref="ZtErrorCode.Schema"/>).</summary>
public sealed class CapnpSchemaException : ZtException
{
    /// <summary>Creates the exception with a message.</summary>
    public CapnpSchemaException(string message)
        : base(ZtErrorCode.Schema, message)
    {
        Diagnostics = Array.Empty<Diagnostic>();
    }

    /// <summary>Creates the exception from compiler diagnostics, which make up its message.</summary>
    public CapnpSchemaException(IReadOnlyList<Diagnostic> diagnostics)
        : base(ZtErrorCode.Schema, string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>The compiler's diagnostics, when the schema failed to compile.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
