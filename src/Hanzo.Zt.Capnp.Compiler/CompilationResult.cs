namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>The compiled nodes of every loaded file (requested and imported), and everything wrong found on the way.</summary>
public sealed class CompilationResult
{
    private readonly Dictionary<ulong, SchemaNode> byId = new();

    internal CompilationResult(IReadOnlyList<SchemaNode> nodes, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<RequestedFile> requestedFiles)
    {
        Nodes = nodes;
        Diagnostics = diagnostics;
        RequestedFiles = requestedFiles;
        foreach (var node in nodes)
        {
            byId[node.Id] = node;
        }
    }

    /// <summary>All nodes: files, types, groups, method parameter structs, constants, annotations.</summary>
    public IReadOnlyList<SchemaNode> Nodes { get; }

    /// <summary>Errors and warnings, in the order found.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The files that were asked for (not those only imported), as in a <c>CodeGeneratorRequest</c>.</summary>
    public IReadOnlyList<RequestedFile> RequestedFiles { get; }

    /// <summary>True when there are no errors.</summary>
    public bool Success => Diagnostics.All(d => d.Severity != DiagnosticSeverity.Error);

    /// <summary>Finds a node by id.</summary>
    public SchemaNode? FindNode(ulong id) => byId.TryGetValue(id, out var node) ? node : null;

    /// <summary>Finds a node by display name, e.g. <c>foo.capnp:Outer.Inner</c>.</summary>
    public SchemaNode? FindNode(string displayName) => Nodes.FirstOrDefault(n => n.DisplayName == displayName);
}
