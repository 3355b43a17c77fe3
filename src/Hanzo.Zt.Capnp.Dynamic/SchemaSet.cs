using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>A compiled schema file and its imports, with lookups by id and by name.</summary>
public sealed class SchemaSet
{
    /// <summary>Where the reference tools look for <c>/capnp/...</c> imports unless told otherwise.</summary>
    public static IReadOnlyList<string> StandardImportPaths { get; } = new[] { "/usr/local/include", "/usr/include" };

    private readonly SchemaNode _file;

    private SchemaSet(string path, CompilationResult compilation, IReadOnlyList<string> importPaths)
    {
        SchemaFile = path;
        Compilation = compilation;
        ImportPaths = importPaths;
        _file = compilation.Nodes.FirstOrDefault(n => n.Kind == SchemaNodeKind.File && n.DisplayName == path)
            ?? throw new CapnpSchemaException($"The compiled schema has no file node for '{path}'.");
    }

    /// <summary>The schema file, as it was named.</summary>
    public string SchemaFile { get; }

    /// <summary>The import paths used.</summary>
    public IReadOnlyList<string> ImportPaths { get; }

    /// <summary>Every compiled node.</summary>
    public CompilationResult Compilation { get; }

    /// <summary>Compiles <paramref name="schemaFile"/>.</summary>
    /// <exception cref="CapnpSchemaException">The schema has errors (the message lists them with file, line and column).</exception>
    public static SchemaSet Load(string schemaFile, IEnumerable<string>? importPaths = null, bool standardImports = true)
    {
        ArgumentNullException.ThrowIfNull(schemaFile);
        var paths = (importPaths ?? Array.Empty<string>()).Concat(standardImports ? StandardImportPaths : Array.Empty<string>()).ToList();
        return Compile(schemaFile, paths, extra: null);
    }

    /// <summary>The node with id <paramref name="id"/>.</summary>
    public SchemaNode GetNode(ulong id) =>
        Compilation.FindNode(id) ?? throw new CapnpSchemaException($"The schema has no node with id @0x{id:x16}.");

    /// <summary>Finds a struct by its name within the file, nested names separated by dots (<c>Outer.Inner</c>).</summary>
    /// <exception cref="CapnpSchemaException">No such struct.</exception>
    public SchemaNode GetStruct(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var node = _file;
        foreach (string part in typeName.Split('.'))
        {
            var nested = node.NestedNodes.FirstOrDefault(n => n.Name == part)
                ?? throw new CapnpSchemaException($"'{SchemaFile}' has no type named '{typeName}'.");
            node = GetNode(nested.Id);
        }

        return node.Struct is null ? throw new CapnpSchemaException($"'{typeName}' in '{SchemaFile}' is not a struct.") : node;
    }

    /// <summary>
    /// Parses values written in the schema language's struct literal syntax (the reference tools' text format),
    /// one or more top-level <c>( ... )</c> literals, as values of the struct <paramref name="type"/>.
    /// </summary>
    /// <exception cref="CapnpSchemaException">The text does not parse or does not fit the type.</exception>
    public IReadOnlyList<DynamicValue> ParseText(string text, SchemaNode type)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(type);
        var literals = TextLiterals.Split(text);
        // The literals compile as constants of a file beside the schema, which imports it by the same name.
        string input = Path.Combine(Path.GetDirectoryName(SchemaFile) ?? string.Empty, ".zt-text-input.capnp");
        string import = Path.GetFileName(SchemaFile);
        var source = new System.Text.StringBuilder();
        source.Append("@0x").Append((Random.Shared.NextInt64() | long.MinValue).ToString("x16")).Append(";\n");
        source.Append("using Target = import \"").Append(import).Append("\".").Append(ScopedName(type)).Append(";\n");
        for (int i = 0; i < literals.Count; i++)
        {
            source.Append("const value").Append(i).Append(" :Target = ").Append(literals[i]).Append(";\n");
        }

        var compiled = Compile(SchemaFile, ImportPaths, new SchemaSource(input, source.ToString()));
        var file = compiled.Compilation.Nodes.First(n => n.Kind == SchemaNodeKind.File && n.DisplayName == input);
        var converter = new SchemaValueConverter(this);
        return file.NestedNodes
            .Where(n => n.Name.StartsWith("value", StringComparison.Ordinal))
            .OrderBy(n => int.Parse(n.Name.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture))
            .Select(n => converter.Convert(compiled.GetNode(n.Id).Const!.Value, type))
            .ToList();
    }

    /// <summary>A node's name within its file (<c>Outer.Inner</c>).</summary>
    public static string ScopedName(SchemaNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.DisplayName[(node.DisplayName.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }

    private static SchemaSet Compile(string schemaFile, IReadOnlyList<string> importPaths, SchemaSource? extra)
    {
        var options = new SchemaCompilerOptions();
        foreach (string path in importPaths)
        {
            options.ImportPaths.Add(path);
        }

        var sources = new List<SchemaSource> { new(schemaFile) };
        if (extra is not null)
        {
            sources.Add(extra);
        }

        var result = SchemaCompiler.Compile(sources, options);
        if (!result.Success)
        {
            throw new CapnpSchemaException(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList());
        }

        return new SchemaSet(schemaFile, result, importPaths);
    }
}
