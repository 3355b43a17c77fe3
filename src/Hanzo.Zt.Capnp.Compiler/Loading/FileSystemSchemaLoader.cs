using System.Diagnostics.CodeAnalysis;
using System.IO;

namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>Reads schema files from disk.</summary>
public sealed class FileSystemSchemaLoader : ISchemaFileLoader
{
    /// <summary>The shared instance.</summary>
    public static FileSystemSchemaLoader Instance { get; } = new();

    /// <inheritdoc/>
    public bool TryRead(string path, [NotNullWhen(true)] out string? text)
    {
        try
        {
            if (File.Exists(path))
            {
                text = File.ReadAllText(path);
                return true;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        text = null;
        return false;
    }
}
