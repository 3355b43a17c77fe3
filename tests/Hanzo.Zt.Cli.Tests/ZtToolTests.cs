namespace Hanzo.Zt.Cli.Tests;

public class ZtToolTests
{
    [Fact]
    public async Task Without_a_verb_it_prints_its_version_and_help()
    {
        var (exitCode, output, _) = await ZtProcess.RunAsync();

        exitCode.ShouldBe(0);
        output.ShouldStartWith($"zt {ZtCommandLine.Version}");
        output.ShouldContain("Usage:");
        output.ShouldContain("version");
    }

    [Fact]
    public async Task Version_verb_prints_the_tool_and_runtime_versions()
    {
        var (exitCode, output, _) = await ZtProcess.RunAsync("version");

        exitCode.ShouldBe(0);
        output.ShouldContain($"zt {ZtCommandLine.Version} (.NET {Environment.Version}");
    }

    [Fact]
    public async Task Unknown_verb_fails_with_a_message()
    {
        var (exitCode, _, error) = await ZtProcess.RunAsync("frobnicate");

        exitCode.ShouldNotBe(0);
        error.ShouldContain("frobnicate");
    }
}

public class CapnpIdTests
{
    [Fact]
    public async Task Capnp_id_prints_a_fresh_id_that_the_reference_compiler_accepts()
    {
        var first = await ZtProcess.RunAsync("capnp", "id");
        var second = await ZtProcess.RunAsync("capnp", "id");

        first.ExitCode.ShouldBe(0);
        first.Output.Trim().ShouldMatch("^@0x[89a-f][0-9a-f]{15};$");
        second.Output.ShouldNotBe(first.Output);

        var schema = Path.Combine(Path.GetTempPath(), $"zt-id-{Guid.NewGuid():N}.capnp");
        await File.WriteAllTextAsync(schema, first.Output.Trim() + "\nstruct Probe { value @0 :UInt32; }\n");
        try
        {
            var (exitCode, _, error) = await ProcessRunner.RunAsync("capnp", "compile", "-o-", schema);
            exitCode.ShouldBe(0, error);
        }
        finally
        {
            File.Delete(schema);
        }
    }
}
