using System.Diagnostics.CodeAnalysis;

namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>Serves schema files from memory, e.g. a source generator's AdditionalFiles, optionally falling back to another loader.</summary>
public sealed class InMemorySchemaLoader : ISchemaFileLoader
{
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    private readonly ISchemaFileLoader? fallback;

    /// <summary>Creates a loader; paths not added are looked up in <paramref name="fallback"/> when given.</summary>
    public InMemorySchemaLoader(ISchemaFileLoader? fallback = null) => this.fallback = fallback;

    /// <summary>Adds (or replaces) a file.</summary>
    public InMemorySchemaLoader Add(string path, string text)
    {
        files[SchemaPath.Normalize(path)] = text;
        return this;
    }

    /// <inheritdoc/>
    public bool TryRead(string path, [NotNullWhen(true)] out string? text)
    {
        if (files.TryGetValue(SchemaPath.Normalize(path), out var found))
        {
            text = found;
            return true;
        }

        text = null;
        return fallback is not null && fallback.TryRead(path, out text);
    }
}
