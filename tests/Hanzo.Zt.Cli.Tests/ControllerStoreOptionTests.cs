using System.Diagnostics;

namespace Hanzo.Zt.Cli.Tests;

public class ControllerStoreOptionTests
{
    private static async Task<(int ExitCode, string Error)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ZtProcess.ToolPath }.Concat(args)) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(guard.Token);
        await output;
        return (process.ExitCode, await error);
    }

    [Fact]
    public async Task An_unknown_store_is_refused_with_the_choices_named()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("controller", "run", "--store", "mysql", "--urls", "https://127.0.0.1:0");

        exit.ShouldBe(1);
        error.ShouldContain("the store 'mysql' is neither sqlite nor postgresql");
    }

    [Fact]
    public async Task The_postgresql_store_without_a_connection_string_is_refused_with_where_to_give_one()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("controller", "run", "--store", "postgresql", "--urls", "https://127.0.0.1:0");

        exit.ShouldBe(1);
        error.ShouldContain("--connection-string or ZT_CONTROLLER_CONNECTION_STRING");
    }

    [Fact]
    public async Task The_postgresql_store_without_the_controller_key_is_refused()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("controller", "run", "--store", "postgresql",
            "--connection-string", "Host=127.0.0.1;Port=1;Database=zt;Username=zt", "--urls", "https://127.0.0.1:0");

        exit.ShouldBe(1);
        error.ShouldContain("ZT_CONTROLLER_KEY");
    }

    [Fact]
    public async Task An_unreachable_database_is_reported_in_one_line_naming_it()
    {
        var (exit, error) = await RunAsync(
            new Dictionary<string, string> { ["ZT_CONTROLLER_STORE"] = "postgresql", ["ZT_CONTROLLER_KEY"] = "k", ["ZT_ADMIN_PASSWORD"] = "p" },
            "controller", "run", "--connection-string", "Host=127.0.0.1;Port=1;Database=zt;Username=zt;Timeout=5", "--urls", "https://127.0.0.1:0");

        exit.ShouldBe(1);
        error.ShouldStartWith("zt controller: the controller store (PostgreSQL database 'zt' on 127.0.0.1:1) cannot be opened");
    }
}
