using System.Text;
using System.Text.RegularExpressions;
using Hanzo.Zt.Capnp;
using Std = global::Capnp.Schema;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// The reference's own standard schemas, unchanged, as AdditionalFiles: they generate code that builds (this project
/// builds them too, with warnings as errors), and the generated schema.capnp readers read a real CodeGeneratorRequest.
/// </summary>
public sealed class StandardSchemaTests
{
    private static readonly string[] Installed =
        ["schema.capnp", "rpc.capnp", "persistent.capnp", "rpc-twoparty.capnp", "c++.capnp", "stream.capnp", "compat/json.capnp"];

    [Fact]
    public void The_standard_schemas_as_installed_generate_code_that_compiles_with_no_diagnostics()
    {
        var schemas = Installed.Select(name => ($"/project/capnp/{name}", File.ReadAllText(Path.Combine("/usr/include/capnp", name)))).ToArray();

        var (output, diagnostics) = TestCompilation.Run([], schemas);

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName("Capnp.Schema.CodeGeneratorRequest+Reader").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.Rpc.Message+Reader").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.Rpc.Twoparty.VatId+Builder").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.Json.Value+Reader").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.StreamResult").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.Annotations.CppCapnp").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.Rpc.Twoparty.RpcTwopartyCapnp").ShouldNotBeNull();
    }

    [Fact]
    public async Task Generated_schema_readers_read_a_CodeGeneratorRequest_as_the_reference_decodes_it()
    {
        byte[] request = await ReferenceTool.RunAsync([], "compile", "-o-", "everything.capnp", "echo.capnp");
        string decoded = Encoding.UTF8.GetString(
            await ReferenceTool.RunAsync(request, "decode", "--short", "/usr/include/capnp/schema.capnp", "CodeGeneratorRequest"));

        using var message = MessageSerializer.Read(request);
        var root = Std.CodeGeneratorRequest.ReadRoot(message);
        var nodes = new List<string>();
        var members = new List<string>();
        var sizes = new List<string>();
        foreach (var node in root.Nodes)
        {
            nodes.Add($"{node.Id} {node.DisplayName}");
            switch (node.Which)
            {
                case Std.Node.Which.Struct:
                    sizes.Add($"{node.Struct_.DataWordCount} {node.Struct_.PointerCount}");
                    members.AddRange(node.Struct_.Fields.Select(f => $"{f.Name} {f.CodeOrder}"));
                    break;
                case Std.Node.Which.Enum:
                    members.AddRange(node.Enum.Enumerants.Select(e => $"{e.Name} {e.CodeOrder}"));
                    break;
                case Std.Node.Which.Interface:
                    members.AddRange(node.Interface.Methods.Select(m => $"{m.Name} {m.CodeOrder}"));
                    break;
            }
        }

        nodes.ShouldBe(Matches(decoded, @"\(id = (\d+), displayName = ""([^""]*)"""));
        members.ShouldBe(Matches(decoded, @"\(name = ""([^""]*)"", codeOrder = (\d+)"));
        sizes.ShouldBe(Matches(decoded, @"dataWordCount = (\d+), pointerCount = (\d+)"));
        root.RequestedFiles.Select(f => f.Filename).ShouldBe(Matches(decoded, @"filename = ""([^""]*)"""));
        nodes.Count.ShouldBeGreaterThan(20);
    }

    [Fact]
    public void The_standard_schemas_built_into_this_project_keep_the_reference_ids()
    {
        Std.SchemaCapnp.FileId.ShouldBe(0xa93fc509624c72d9UL);
        global::Capnp.Rpc.RpcCapnp.FileId.ShouldBe(0xb312981b2552a250UL);
        global::Capnp.Annotations.CppCapnp.FileId.ShouldBe(0xbdf87d7bb8304e81UL);
        global::Capnp.Json.JsonCapnp.FileId.ShouldBe(0x8ef99297a43a5e34UL);
        Std.Node.TypeId.ShouldBe(0xe682ab4cf923a417UL);
    }

    private static List<string> Matches(string text, string pattern) =>
        Regex.Matches(text, pattern).Select(m => string.Join(" ", m.Groups.Values.Skip(1).Select(g => g.Value))).ToList();
}
