namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>'/'-separated path arithmetic, the same on every OS so display names (and so ids) do not vary.</summary>
internal static class SchemaPath
{
    public static string Normalize(string path)
    {
        path = path.Replace('\\', '/');
        bool rooted = path.StartsWith("/", StringComparison.Ordinal);
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return (rooted ? "/" : string.Empty) + string.Join("/", parts);
    }

    public static string Directory(string path)
    {
        path = path.Replace('\\', '/');
        int slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path.Substring(0, slash);
    }

    public static string Combine(string directory, string relative) =>
        Normalize(directory.Length == 0 ? relative : directory + "/" + relative);
}
