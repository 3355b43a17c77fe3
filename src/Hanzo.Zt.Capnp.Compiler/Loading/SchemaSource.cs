namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A schema file to compile: its path (which becomes its display name) and, optionally, its text.</summary>
public sealed class SchemaSource
{
    /// <summary>Creates a source; when <paramref name="text"/> is null the file is read through the loader.</summary>
    public SchemaSource(string path, string? text = null)
    {
        Path = path;
        Text = text;
    }

    /// <summary>The path, relative to the working directory as on the <c>capnp compile</c> command line.</summary>
    public string Path { get; }

    /// <summary>The file's text, or null to read it through <see cref="SchemaCompilerOptions.Loader"/>.</summary>
    public string? Text { get; }
}
