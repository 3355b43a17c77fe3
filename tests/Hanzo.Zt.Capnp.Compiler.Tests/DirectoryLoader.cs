using System.Diagnostics.CodeAnalysis;

namespace Hanzo.Zt.Capnp.Compiler.Tests;

/// <summary>Reads files relative to a base directory, as capnp does relative to its working directory.</summary>
internal sealed class DirectoryLoader(string baseDirectory) : ISchemaFileLoader
{
    public bool TryRead(string path, [NotNullWhen(true)] out string? text) =>
        FileSystemSchemaLoader.Instance.TryRead(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path), out text);
}
