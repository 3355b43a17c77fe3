using Hanzo.Zt.Capnp.Compiler.Semantics;

namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>
/// Compiles Cap'n Proto schema files into <see cref="SchemaNode"/>s with the ids and layouts the
/// reference <c>capnp compile</c> assigns. Never throws on bad input: problems become diagnostics.
/// </summary>
public static class SchemaCompiler
{
    /// <summary>Compiles the given files and everything they import.</summary>
    public static CompilationResult Compile(IEnumerable<SchemaSource> sources, SchemaCompilerOptions? options = null)
    {
        if (sources is null)
        {
            throw new ArgumentNullException(nameof(sources));
        }

        return new Compilation(options ?? new SchemaCompilerOptions()).Run(sources);
    }

    /// <summary>Compiles one in-memory file.</summary>
    public static CompilationResult Compile(string path, string text, SchemaCompilerOptions? options = null) =>
        Compile(new[] { new SchemaSource(path, text) }, options);
}
