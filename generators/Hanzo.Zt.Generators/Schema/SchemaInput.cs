namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// One .capnp file from AdditionalFiles: where it is, its text, the C# namespace asked for in its <c>Namespace</c>
/// metadata (if any), the project's default namespace, the class name asked for in <c>ClassName</c> (if any), and
/// whether it is only there to be imported (found under a <c>CapnpImportPath</c>).
/// </summary>
internal sealed record SchemaInput(
    string Path,
    string Text,
    string? ExplicitNamespace,
    string DefaultNamespace,
    string DisplayPath,
    string? ClassName = null,
    bool ImportOnly = false)
{
    /// <summary>The namespace when the schema itself names none (no <c>$Cxx.namespace</c>).</summary>
    public string Namespace => ExplicitNamespace ?? DefaultNamespace;
}

/// <summary>The import paths given in MSBuild (<c>CapnpImportPath</c> items), in order.</summary>
internal sealed record SchemaSettings(EquatableArray<string> ImportPaths);

/// <summary>What one schema file becomes: a source file (unless it has errors) and diagnostics.</summary>
internal sealed record SchemaOutput(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
