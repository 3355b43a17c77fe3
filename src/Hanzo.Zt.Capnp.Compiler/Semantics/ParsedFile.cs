using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

internal sealed class ParsedFile
{
    public ParsedFile(string displayName, string actualPath, SourceText source, Declaration syntax, bool requested)
    {
        DisplayName = displayName;
        ActualPath = actualPath;
        Source = source;
        Syntax = syntax;
        Requested = requested;
    }

    public string DisplayName { get; }

    // Where the loader found it; relative imports resolve against this.
    public string ActualPath { get; }

    public SourceText Source { get; }

    public Declaration Syntax { get; }

    public bool Requested { get; }

    public DeclaredNode? Root { get; set; }

    // Imports as written, with the file each resolved to, for CodeGeneratorRequest.RequestedFile.imports.
    public Dictionary<string, ParsedFile?> Imports { get; } = new(StringComparer.Ordinal);
}
