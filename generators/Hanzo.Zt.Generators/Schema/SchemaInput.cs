namespace Hanzo.Zt.Generators.Schema;

/// <summary>One .capnp file from AdditionalFiles: where it is, its text, and the C# namespace its types go in.</summary>
internal sealed record SchemaInput(string Path, string Text, string Namespace, string DisplayPath);

/// <summary>What one schema file becomes: a source file (unless it has errors) and diagnostics.</summary>
internal sealed record SchemaOutput(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
