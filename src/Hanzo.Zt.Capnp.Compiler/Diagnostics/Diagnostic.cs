namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>An error or warning found while compiling schemas, located in its source file.</summary>
public sealed class Diagnostic
{
    /// <summary>Creates a diagnostic.</summary>
    public Diagnostic(DiagnosticSeverity severity, SourceLocation location, string message)
    {
        Severity = severity;
        Location = location;
        Message = message;
    }

    /// <summary>Whether this is an error or a warning.</summary>
    public DiagnosticSeverity Severity { get; }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is wrong, phrased like the reference compiler's message.</summary>
    public string Message { get; }

    /// <summary>Formats as <c>file.capnp:12:5: error: message</c>.</summary>
    public override string ToString() =>
        $"{Location}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")}: {Message}";
}
