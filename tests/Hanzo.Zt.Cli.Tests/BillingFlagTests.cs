namespace Hanzo.Zt.Cli.Tests;

/// <summary>The <c>--billing</c> flag of <c>zt controller run</c> and <c>zt router run</c>: unusable settings stop the process at start.</summary>
public class BillingFlagTests
{
    [Theory]
    [InlineData("controller")]
    [InlineData("router")]
    public async Task An_unknown_billing_mode_is_refused(string verb)
    {
        string dataDir = Path.Combine(Path.GetTempPath(), $"zt-cli-billing-{Guid.NewGuid():N}");

        var (exit, stdout, stderr) = await ZtProcess.RunAsync(verb, "run", "--data-dir", dataDir, "--billing", "free");

        exit.ShouldNotBe(0);
        stdout.ShouldNotContain("listening");
        stderr.ShouldContain("--billing must be commerce, ledger or off");
    }

    [Fact]
    public async Task Billing_from_an_embedded_ledger_needs_its_directory()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), $"zt-cli-billing-{Guid.NewGuid():N}");

        var (exit, stdout, stderr) = await ZtProcess.RunAsync("controller", "run", "--data-dir", dataDir, "--urls", "https://127.0.0.1:0", "--billing", "ledger");

        exit.ShouldNotBe(0);
        stdout.ShouldNotContain("listening");
        stderr.ShouldContain("--ledger-dir");
    }
}
