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
