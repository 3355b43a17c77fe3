namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A file that was asked for, with the imports it names (schema.capnp's <c>CodeGeneratorRequest.RequestedFile</c>).</summary>
public sealed class RequestedFile
{
    internal RequestedFile(ulong id, string filename, IReadOnlyList<RequestedFileImport> imports)
    {
        Id = id;
        Filename = filename;
        Imports = imports;
    }

    /// <summary>The file node's id.</summary>
    public ulong Id { get; }

    /// <summary>The file's display name.</summary>
    public string Filename { get; }

    /// <summary>The files it imports, by the name used in the import.</summary>
    public IReadOnlyList<RequestedFileImport> Imports { get; }
}
