namespace Hanzo.Zt.Cli.Tests;

/// <summary>
/// The fabric verbs' contract on bad input: one clear line on standard error and a non-zero exit. (The working
/// paths run against real controller and router processes in Hanzo.Zt.IntegrationTests.)
/// </summary>
public class FabricVerbTests
{
    private static string TempFile(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"zt-cli-{Guid.NewGuid():N}");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Enroll_with_a_token_that_is_not_a_JWT_fails_with_one_line_and_writes_nothing()
    {
        string jwt = TempFile("not a token");
        string output = jwt + ".json";

        var (exit, stdout, stderr) = await ZtProcess.RunAsync("enroll", jwt, "--out", output);

        exit.ShouldNotBe(0);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldStartWith("zt enroll: ");
        stderr.Trim().ShouldContain("not a JWT");
        stderr.Trim().Split('\n').Length.ShouldBe(1);
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public async Task Enroll_without_the_token_file_fails_naming_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"zt-cli-missing-{Guid.NewGuid():N}.jwt");

        var (exit, _, stderr) = await ZtProcess.RunAsync("enroll", missing, "--out", missing + ".json");

        exit.ShouldNotBe(0);
        stderr.ShouldContain(Path.GetFileName(missing));
    }

    [Fact]
    public async Task Router_run_in_an_unenrolled_data_directory_without_a_token_refuses_to_start()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), $"zt-cli-router-{Guid.NewGuid():N}");

        var (exit, stdout, stderr) = await ZtProcess.RunAsync("router", "run", "--data-dir", dataDir, "--listen", "tls://127.0.0.1:0");

        exit.ShouldNotBe(0);
        stdout.ShouldNotContain("listening");
        stderr.Trim().ShouldStartWith("zt router: ");
        stderr.ShouldContain("--enroll");
    }

    [Fact]
    public async Task Router_run_refuses_a_listen_address_that_is_not_tls()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), $"zt-cli-router-{Guid.NewGuid():N}");

        var (exit, _, stderr) = await ZtProcess.RunAsync("router", "run", "--data-dir", dataDir, "--listen", "tcp://127.0.0.1:0");

        exit.ShouldNotBe(0);
        stderr.ShouldContain("tls://host:port");
    }

    [Theory]
    [InlineData("dial", "svc")]
    [InlineData("echo-host", "--service", "svc")]
    public async Task Dial_and_echo_host_with_a_missing_identity_file_fail_naming_it(params string[] args)
    {
        string missing = Path.Combine(Path.GetTempPath(), $"zt-cli-missing-{Guid.NewGuid():N}.json");

        var (exit, stdout, stderr) = await ZtProcess.RunAsync([.. args, "--identity", missing]);

        exit.ShouldNotBe(0);
        stdout.ShouldNotContain("bound");
        stderr.Trim().ShouldStartWith($"zt {args[0]}: ");
        stderr.ShouldContain(missing);
    }
}
