using Hanzo.Zt.Capnp.Compiler.Tests.Reference;

namespace Hanzo.Zt.Capnp.Compiler.Tests;

/// <summary>Every node the reference compiler emits must come out of ours with the same id, names, layout and ordinals.</summary>
public class ReferenceCompatibilityTests
{
    private static readonly string SchemaDirectory = Path.Combine(AppContext.BaseDirectory, "Schemas");

    public static TheoryData<string, string> Schemas => new()
    {
        { SchemaDirectory, "features.capnp" },
        { SchemaDirectory, "layout-torture.capnp" },
        { SchemaDirectory, "generics.capnp" },
        { SchemaDirectory, "values.capnp" },
        { "/usr/include", "capnp/schema.capnp" },
        { "/usr/include", "capnp/rpc.capnp" },
        { "/usr/include", "capnp/rpc-twoparty.capnp" },
        { "/usr/include", "capnp/persistent.capnp" },
        { "/usr/include", "capnp/c++.capnp" },
        { "/usr/include", "capnp/stream.capnp" },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Nodes_match_the_reference_compiler(string directory, string file)
    {
        var reference = ReferenceCompiler.Compile(directory, file, "/usr/include");
        var options = new SchemaCompilerOptions { Loader = new DirectoryLoader(directory) };
        options.ImportPaths.Add("/usr/include");

        var result = SchemaCompiler.Compile(new[] { new SchemaSource(file) }, options);

        result.Diagnostics.ShouldBeEmpty();
        var expectedNodes = ((List<object>)reference["nodes"]).Cast<Dictionary<string, object>>().ToList();
        foreach (var expectedNode in expectedNodes)
        {
            var expected = NodeDescription.Describe(expectedNode);
            var actual = result.FindNode(ulong.Parse((string)expectedNode["id"]));
            actual.ShouldNotBeNull($"missing node {expected[0]}");
            string.Join("\n", NodeDescription.Describe(actual)).ShouldBe(string.Join("\n", expected));
        }

        // The reference emits only the imported nodes a schema uses; compare the requested file's nodes in full.
        static bool InFile(string displayName, string file) => displayName == file || displayName.StartsWith(file + ":", StringComparison.Ordinal);
        result.Nodes.Count(n => InFile(n.DisplayName, file)).ShouldBe(expectedNodes.Count(n => InFile(((string)n["displayName"]).Trim('"'), file)));
    }
}
