using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// <c>zt quickstart</c> as a new user runs it: a real process with its own data directory and user folders (so nothing
/// touches the machine's), then, with <c>--keep-running</c>, administered with the admin verbs and reached by a
/// separately started <c>zt dial</c>.
/// </summary>
public sealed partial class QuickstartTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hanzo-zt-quickstart-").FullName;

    private Dictionary<string, string> UserFolders => new()
    {
        ["HOME"] = _root,
        ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"),
        ["XDG_DATA_HOME"] = Path.Combine(_root, "data"),
    };

    [Fact]
    public async Task Quickstart_prints_the_metered_usage_and_the_balance_after_and_runs_again_on_the_same_data()
    {
        foreach (int run in new[] { 1, 2 })
        {
            var (exit, output, error) = await RunAsync(["quickstart", "--data-dir", Path.Combine(_root, "network")]);

            exit.ShouldBe(0, $"run {run}: {error}\n{output}");
            long available = Cents(output, BalanceCheck());
            long metered = Cents(output, Metered());
            long charged = Cents(output, Charged());
            long after = Cents(output, BalanceAfter());
            metered.ShouldBeGreaterThan(0, output);
            after.ShouldBe(available - charged, output);
            output.ShouldContain("GreetAsync(\"alice\")");
            output.ShouldContain("IAM token");
        }
    }

    [Fact]
    public async Task A_kept_running_quickstart_is_administered_with_the_verbs_and_reached_by_a_separate_zt_dial()
    {
        string data = Path.Combine(_root, "network");
        await using var quickstart = ZtChildProcess.Start(["quickstart", "--data-dir", data, "--keep-running"], UserFolders);
        await quickstart.WaitForLineAsync("ready");
        string controller = ControllerUrl().Match(quickstart.Transcript).Groups[1].Value;
        string password = (await File.ReadAllTextAsync(Path.Combine(data, "admin-password"))).Trim();

        (await RunAsync(["login", controller, "--password", password])).ExitCode.ShouldBe(0);
        var services = await RunAsync(["list", "services"]);
        services.Output.ShouldContain("demo");
        services.Output.ShouldContain("echo");
        string jwt = Path.Combine(_root, "visitor.jwt"), identity = Path.Combine(_root, "visitor.json");
        var created = await RunAsync(["create", "identity", "visitor", "--role-attributes", "demo-callers", "--jwt-output-file", jwt]);
        created.ExitCode.ShouldBe(0, created.Error);
        var enrolled = await RunAsync(["enroll", jwt, "--out", identity]);
        enrolled.ExitCode.ShouldBe(0, enrolled.Error);

        byte[] message = Encoding.UTF8.GetBytes("hello over the quickstart network\n");
        var dialed = await RunAsync(["dial", "echo", "--identity", identity], message);

        dialed.ExitCode.ShouldBe(0, dialed.Error);
        dialed.Output.ShouldBe(Encoding.UTF8.GetString(message));
        (await quickstart.StopAsync()).ShouldBe(0, quickstart.Transcript);
    }

    private static long Cents(string output, Regex pattern)
    {
        var match = pattern.Match(output);
        match.Success.ShouldBeTrue($"'{pattern}' not in:\n{output}");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, byte[]? input = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ZtChildProcess.ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in UserFolders)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung zt must not outlive the test that gave up on it.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"balance check\s+demo/alice: (-?\d+) cents available")]
    private static partial Regex BalanceCheck();

    [GeneratedRegex(@"usage metered\s+.*: (\d+) micros metered")]
    private static partial Regex Metered();

    [GeneratedRegex(@"usage metered\s+.*charged (\d+) cents")]
    private static partial Regex Charged();

    [GeneratedRegex(@"balance after\s+demo/alice: (-?\d+) cents")]
    private static partial Regex BalanceAfter();

    [GeneratedRegex(@"zt login (https://127\.0\.0\.1:\d+)")]
    private static partial Regex ControllerUrl();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
