namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The schema is accepted but something looks wrong.</summary>
    Warning,

    /// <summary>The schema is invalid; the compilation result must not be used for code generation.</summary>
    Error,
}
