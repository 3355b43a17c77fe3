using System.IO;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// The reference's standard schemas (<c>capnp/c++.capnp</c>, <c>capnp/schema.capnp</c>, ...), embedded in this assembly
/// and served under a folder of their own that is always the last import path searched.
/// </summary>
internal static class StandardSchemas
{
    /// <summary>The import path the embedded schemas live under; no real folder has this name.</summary>
    public const string Root = "/<standard schemas>";

    private static readonly Lazy<IReadOnlyList<KeyValuePair<string, string>>> Files = new(Load);

    /// <summary>Each embedded schema as (path under <see cref="Root"/>, text), e.g. <c>capnp/compat/json.capnp</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> All => Files.Value;

    private static IReadOnlyList<KeyValuePair<string, string>> Load()
    {
        var assembly = typeof(StandardSchemas).Assembly;
        var files = new List<KeyValuePair<string, string>>();
        foreach (string name in assembly.GetManifestResourceNames())
        {
            string path = name.Replace('\\', '/');
            if (!path.StartsWith("capnp/", StringComparison.Ordinal) || !path.EndsWith(".capnp", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files.Add(new KeyValuePair<string, string>(path, reader.ReadToEnd()));
        }

        return files;
    }
}
