namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>Collects diagnostics so one run reports every problem it can find.</summary>
internal sealed class DiagnosticBag
{
    // Runaway input (a file of garbage) should not produce megabytes of errors.
    private const int MaxDiagnostics = 500;

    private readonly List<Diagnostic> items = new();

    public IReadOnlyList<Diagnostic> Items => items;

    public bool HasErrors { get; private set; }

    public void Error(SourceText source, TextSpan span, string message)
    {
        HasErrors = true;
        if (items.Count < MaxDiagnostics)
        {
            items.Add(new Diagnostic(DiagnosticSeverity.Error, source.Locate(span), message));
        }
    }
}
