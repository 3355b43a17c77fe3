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

    /// <summary>
    /// The inputs plus each standard schema they import (other than <c>c++.capnp</c>, which declares only annotations),
    /// so types from <c>/capnp/schema.capnp</c> and the others are generated once, in their <c>$Cxx.namespace</c>. A
    /// schema already among the inputs, unchanged, is not added again.
    /// </summary>
    public static IReadOnlyList<SchemaInput> WithImported(IReadOnlyList<SchemaInput> inputs)
    {
        var added = new List<SchemaInput>();
        foreach (var standard in All)
        {
            string import = "\"/" + standard.Key + "\"";
            if (standard.Key == "capnp/c++.capnp"
                || !inputs.Any(i => !i.ImportOnly && i.Text.Contains(import))
                || inputs.Any(i => !i.ImportOnly && i.Text == standard.Value))
            {
                continue;
            }

            var first = inputs.First(i => !i.ImportOnly);
            added.Add(new SchemaInput(Root + "/" + standard.Key, standard.Value, null, first.DefaultNamespace, standard.Key));
        }

        return added.Count == 0 ? inputs : inputs.Concat(added).ToList();
    }

    /// <summary>True for a path under <see cref="Root"/>.</summary>
    public static bool IsStandard(string path) => path.StartsWith(Root + "/", StringComparison.Ordinal);

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
