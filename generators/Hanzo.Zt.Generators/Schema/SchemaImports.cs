using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Where imports are looked for, as <c>capnp compile</c> looks: a relative import beside the importing file; an
/// absolute one (<c>/capnp/c++.capnp</c>) in each import path in turn: the <c>CapnpImportPath</c> folders, then the
/// folders of the AdditionalFiles, then the standard schemas built into the generator. Nothing is read from disk.
/// </summary>
internal sealed class SchemaImports
{
    private readonly InMemorySchemaLoader loader = new(fallback: NoFiles.Instance);
    private readonly Dictionary<string, string> texts = new(StringComparer.Ordinal);

    public SchemaImports(IReadOnlyList<SchemaInput> all, SchemaSettings settings)
    {
        Options = new SchemaCompilerOptions { Loader = loader };
        foreach (var path in settings.ImportPaths)
        {
            AddImportPath(SchemaFileEmitter.Normalize(path));
        }

        foreach (var input in all)
        {
            string path = SchemaFileEmitter.Normalize(input.Path);
            Add(path, input.Text);
            if (!input.ImportOnly && !StandardSchemas.IsStandard(path))
            {
                AddImportPath(Folder(path));
            }
        }

        foreach (var standard in StandardSchemas.All)
        {
            Add(StandardSchemas.Root + "/" + standard.Key, standard.Value);
        }

        AddImportPath(StandardSchemas.Root);
    }

    public SchemaCompilerOptions Options { get; }

    /// <summary>The text a file node was compiled from (found through its source path).</summary>
    public string? TextOf(SchemaNode file) =>
        file.SourcePath is { } path && texts.TryGetValue(path, out var text) ? text : null;

    /// <summary>The error for an import that resolved nowhere, naming every folder searched.</summary>
    public string DescribeFailedImport(string import, string? importerPath)
    {
        var folders = import.StartsWith("/", StringComparison.Ordinal)
            ? Options.ImportPaths.Select(p => p == StandardSchemas.Root ? "the standard schemas built into Hanzo.Zt.Generators" : p)
            : new[] { importerPath is null ? "the importing file's folder" : Folder(SchemaFileEmitter.Normalize(importerPath)) };
        string hint = import.StartsWith("/", StringComparison.Ordinal)
            ? "; add the folder holding it as <CapnpImportPath Include=\"...\" /> (the equivalent of capnp compile -I)"
            : string.Empty;
        return $"Import failed: {import} (searched: {string.Join(", ", folders)}){hint}";
    }

    private void Add(string path, string text)
    {
        loader.Add(path, text);
        texts[path] = text;
    }

    private void AddImportPath(string folder)
    {
        if (!Options.ImportPaths.Contains(folder))
        {
            Options.ImportPaths.Add(folder);
        }
    }

    private static string Folder(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path.Substring(0, slash);
    }

    /// <summary>A generator must not read the disk: everything it compiles came in through AdditionalFiles or is built in.</summary>
    private sealed class NoFiles : ISchemaFileLoader
    {
        public static readonly NoFiles Instance = new();

        public bool TryRead(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
        {
            text = null;
            return false;
        }
    }
}
