namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>Where imports are found.</summary>
public sealed class SchemaCompilerOptions
{
    /// <summary>Directories searched for absolute imports such as <c>import "/capnp/c++.capnp"</c> (the <c>-I</c> flags).</summary>
    public IList<string> ImportPaths { get; } = new List<string>();

    /// <summary>Reads imported files (and sources given without text); defaults to the file system.</summary>
    public ISchemaFileLoader Loader { get; set; } = FileSystemSchemaLoader.Instance;
}
