using System.Diagnostics.CodeAnalysis;

namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>
/// Reads schema files for imports, so the compiler works on a disk, on a source generator's
/// AdditionalFiles, or on strings in a test alike.
/// </summary>
public interface ISchemaFileLoader
{
    /// <summary>Reads the file at <paramref name="path"/> (with '/' separators); false when it does not exist.</summary>
    bool TryRead(string path, [NotNullWhen(true)] out string? text);
}
