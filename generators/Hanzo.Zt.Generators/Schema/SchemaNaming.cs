using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// The C# namespace of each compiled file's types and the name of the file's own class. A namespace comes from the
/// file's <c>Namespace</c> metadata, else its <c>$Cxx.namespace</c> annotation (<c>capnp::schema</c> becomes
/// <c>Capnp.Schema</c>), else the project's root namespace. The class is the <c>ClassName</c> metadata, else the file
/// name as a C# name plus <c>Capnp</c> (<c>c++.capnp</c> gives <c>CppCapnp</c>).
/// </summary>
internal sealed class SchemaNaming
{
    /// <summary>The id of <c>namespace</c> in the reference's <c>/capnp/c++.capnp</c>.</summary>
    public const ulong CxxNamespaceId = 0xb9c6f99ebf805f2cUL;

    private readonly Dictionary<ulong, string> namespaces = new();

    public SchemaNaming(CompilationResult result, SchemaInput requested, IReadOnlyList<SchemaInput> all, SchemaImports imports)
    {
        foreach (var node in result.Nodes.Where(n => n.Kind == SchemaNodeKind.File))
        {
            string path = node.SourcePath ?? node.DisplayName;
            var owner = all.FirstOrDefault(i => SchemaFileEmitter.Normalize(i.Path) == path)
                ?? (imports.TextOf(node) is { } text ? all.FirstOrDefault(i => !i.ImportOnly && i.Text == text) : null);
            namespaces[node.Id] = owner?.ExplicitNamespace
                ?? CxxNamespace(node)
                ?? (owner ?? requested).DefaultNamespace;
        }
    }

    public string NamespaceOf(ulong fileId) => namespaces.TryGetValue(fileId, out var ns) ? ns : "Capnp";

    public static string ClassName(SchemaInput file)
    {
        if (file.ClassName is { } name)
        {
            return name;
        }

        string stem = SchemaFileEmitter.Normalize(file.Path);
        stem = stem.Substring(stem.LastIndexOf('/') + 1);
        int dot = stem.IndexOf('.');
        return Names.TypeName(dot > 0 ? stem.Substring(0, dot) : stem) + "Capnp";
    }

    private static string? CxxNamespace(SchemaNode file) =>
        file.Annotations.FirstOrDefault(a => a.Id == CxxNamespaceId)?.Value.Text is { Length: > 0 } cxx ? Names.Namespace(cxx) : null;
}
