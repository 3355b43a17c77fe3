using System.Text;
using System.Text.Json.Nodes;

namespace Hanzo.Zt.Cli.Tests;

/// <summary><c>zt capnp compile</c> and <c>zt capnp convert</c> agree with the reference <c>capnp</c> tool.</summary>
public sealed class CapnpToolTests
{
    private static readonly string Schemas = Path.Combine(AppContext.BaseDirectory, "Schemas");

    public static TheoryData<string> Messages() => new(Directory.GetFiles(Path.Combine(Schemas, "messages"), "*.txt")
        .Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task Convert_to_json_and_text_agrees_with_the_reference(string name)
    {
        byte[] binary = await Reference(Text(name), "encode", "--segment-size=6", "everything.capnp", "Everything");

        byte[] ourJson = await Zt(binary, "capnp", "convert", "binary:json", "everything.capnp", "Everything");
        byte[] theirJson = await Reference(binary, "convert", "binary:json", "everything.capnp", "Everything");
        JsonNode.DeepEquals(JsonNode.Parse(ourJson), JsonNode.Parse(theirJson)).ShouldBeTrue(Encoding.UTF8.GetString(ourJson));

        byte[] ourText = await Zt(binary, "capnp", "convert", "binary:text", "--short", "everything.capnp", "Everything");
        byte[] theirText = await Reference(binary, "decode", "--short", "everything.capnp", "Everything");
        Encoding.UTF8.GetString(ourText).ShouldBe(Encoding.UTF8.GetString(theirText));
    }

    [Theory]
    [InlineData("binary:binary")]
    [InlineData("binary:packed")]
    [InlineData("binary:flat")]
    [InlineData("binary:flat-packed")]
    [InlineData("binary:canonical")]
    public async Task Binary_outputs_are_byte_identical_to_the_reference(string formats)
    {
        byte[] binary = await Reference(Text("full"), "encode", "--segment-size=4", "everything.capnp", "Everything");
        byte[] ours = await Zt(binary, "capnp", "convert", formats, "everything.capnp", "Everything");
        byte[] theirs = await Reference(binary, "convert", formats, "everything.capnp", "Everything");
        ours.ShouldBe(theirs);
    }

    [Theory]
    [InlineData("text", "full")]
    [InlineData("json", "numbers")]
    [InlineData("packed", "wide")]
    [InlineData("flat", "deep")]
    public async Task Inputs_in_every_format_convert_to_what_the_reference_reads(string format, string name)
    {
        byte[] binary = await Reference(Text(name), "encode", "everything.capnp", "Everything");
        byte[] input = format == "text" ? Text(name) : await Reference(binary, "convert", $"binary:{format}", "everything.capnp", "Everything");
        byte[] ours = await Zt(input, "capnp", "convert", $"{format}:binary", "everything.capnp", "Everything");
        (await Reference(ours, "decode", "--short", "everything.capnp", "Everything"))
            .ShouldBe(await Reference(binary, "decode", "--short", "everything.capnp", "Everything"));
    }

    [Fact]
    public async Task Convert_reads_a_stream_of_messages()
    {
        byte[] one = await Reference(Text("full"), "encode", "everything.capnp", "Everything");
        byte[] two = await Reference(Text("numbers"), "encode", "everything.capnp", "Everything");
        byte[] json = await Zt([.. one, .. two, .. one], "capnp", "convert", "binary:json", "--short", "everything.capnp", "Everything");
        Encoding.UTF8.GetString(json).TrimEnd('\n').Split('\n').Length.ShouldBe(3);
    }

    [Fact]
    public async Task Convert_reports_malformed_input_and_exits_non_zero()
    {
        var (exit, _, error) = await ProcessRunner.RunWithInputAsync("dotnet", [0, 0, 0, 0, 5, 0, 0, 0, 1, 2], Schemas, ZtProcess.ToolPath, "capnp", "convert", "binary:json", "everything.capnp", "Everything");
        exit.ShouldBe(1);
        error.ShouldContain("zt capnp convert:");
        error.ShouldContain("Truncated");

        (exit, _, error) = await ProcessRunner.RunWithInputAsync("dotnet", [], Schemas, ZtProcess.ToolPath, "capnp", "convert", "binary:json");
        exit.ShouldBe(1);
        error.ShouldContain("<schema-file> and <type>");
    }

    [Fact]
    public async Task Compile_prints_ids_and_layout_or_errors_with_positions()
    {
        var (exit, output, error) = await ProcessRunner.RunWithInputAsync("dotnet", [], Schemas, ZtProcess.ToolPath, "capnp", "compile", "everything.capnp");
        exit.ShouldBe(0, error);
        string summary = Encoding.UTF8.GetString(output);
        summary.ShouldContain("@0xd5a2f7c1b3e94a01");
        summary.ShouldContain("struct everything.capnp:Everything");

        string broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.capnp");
        await File.WriteAllTextAsync(broken, "@0xd5a2f7c1b3e94a02;\nstruct A {\n  x @0 :NoSuchType;\n}\n");
        try
        {
            (exit, _, error) = await ProcessRunner.RunWithInputAsync("dotnet", [], Schemas, ZtProcess.ToolPath, "capnp", "compile", broken);
            exit.ShouldBe(1);
            error.ShouldContain(":3:");
            error.ShouldContain("error");
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static byte[] Text(string name) => File.ReadAllBytes(Path.Combine(Schemas, "messages", name + ".txt"));

    private static async Task<byte[]> Zt(byte[] input, params string[] args)
    {
        var (exit, output, error) = await ProcessRunner.RunWithInputAsync("dotnet", input, Schemas, [ZtProcess.ToolPath, .. args]);
        exit.ShouldBe(0, error);
        return output;
    }

    private static async Task<byte[]> Reference(byte[] input, params string[] args)
    {
        var (exit, output, error) = await ProcessRunner.RunWithInputAsync("capnp", input, Schemas, args);
        exit.ShouldBe(0, error);
        return output;
    }
}
