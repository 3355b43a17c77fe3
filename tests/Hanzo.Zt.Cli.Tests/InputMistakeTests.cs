namespace Hanzo.Zt.Cli.Tests;

/// <summary>Common mistakes get one line that says what to do, and a non-zero exit.</summary>
public class InputMistakeTests
{
    private const string Jwt = "eyJhbGciOiJFUzI1NiJ9.eyJlbSI6Im90dCJ9.c2lnbmF0dXJl";

    private static string TempFile(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"zt-cli-{Guid.NewGuid():N}");
        File.WriteAllText(path, content);
        return path;
    }

    private static void ShouldBeOneLine(string error, string verb)
    {
        error.Trim().Split('\n').Length.ShouldBe(1);
        error.ShouldStartWith($"zt {verb}: ");
    }

    [Fact]
    public async Task A_token_file_option_given_the_token_text_says_so()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("login", "https://127.0.0.1:9", "--token-file", Jwt);

        exit.ShouldNotBe(0);
        ShouldBeOneLine(error, "login");
        error.ShouldContain("token text");
    }

    [Fact]
    public async Task An_enrollment_token_file_given_as_the_identity_says_to_run_zt_enroll_first()
    {
        string jwtFile = TempFile(Jwt + "\n");

        var (exit, _, error) = await ZtProcess.RunAsync("dial", "svc", "--identity", jwtFile);

        exit.ShouldNotBe(0);
        ShouldBeOneLine(error, "dial");
        error.ShouldContain("run `zt enroll");
    }

    [Theory]
    [InlineData("""{"id":{"key":"pem:x","cert":"pem:y","ca":"pem:z"}}""", "ztAPI")]
    [InlineData("""{"ztAPI":"https://127.0.0.1:1280","id":{"key":"pem:x","ca":"pem:z"}}""", "id.cert")]
    [InlineData("""{"ztAPI":"https://127.0.0.1:1280","id":{"cert":"pem:y","ca":"pem:z"}}""", "id.key")]
    public async Task An_identity_file_missing_a_field_names_the_field(string content, string field)
    {
        var (exit, _, error) = await ZtProcess.RunAsync("echo-host", "--service", "svc", "--identity", TempFile(content));

        exit.ShouldNotBe(0);
        ShouldBeOneLine(error, "echo-host");
        error.ShouldContain($"'{field}'");
    }

    [Fact]
    public async Task A_ledger_deposit_into_a_journal_prints_the_balance_after()
    {
        string directory = Directory.CreateTempSubdirectory("zt-cli-ledger-").FullName;

        var first = await ZtProcess.RunAsync("ledger", "deposit", "demo/alice", "250", "--data-dir", directory);
        var second = await ZtProcess.RunAsync("ledger", "deposit", "demo/bob", "100", "--data-dir", directory, "--json");

        first.ExitCode.ShouldBe(0, first.Error);
        first.Output.ShouldContain("balance 250 cents");
        System.Text.Json.JsonDocument.Parse(second.Output).RootElement.GetProperty("balance").GetInt64().ShouldBe(350);
    }

    [Fact]
    public async Task A_ledger_deposit_to_an_account_without_an_org_names_the_form()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("ledger", "deposit", "alice", "5", "--data-dir", Path.GetTempPath());

        exit.ShouldNotBe(0);
        ShouldBeOneLine(error, "ledger deposit");
        error.ShouldContain("org/name");
    }
}
