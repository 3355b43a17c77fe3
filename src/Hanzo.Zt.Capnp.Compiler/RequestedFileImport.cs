namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>One import of a requested file.</summary>
public sealed class RequestedFileImport
{
    internal RequestedFileImport(ulong id, string name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>The imported file's node id.</summary>
    public ulong Id { get; }

    /// <summary>The path exactly as written in <c>import "..."</c>.</summary>
    public string Name { get; }
}
