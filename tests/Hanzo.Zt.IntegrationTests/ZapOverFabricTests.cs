using System.Diagnostics;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>ZAP over <c>zt://</c>: the Calculator sample's server and client as processes, through the router.</summary>
public sealed class ZapOverFabricTests(FabricFixture fabric) : IClassFixture<FabricFixture>
{
    [Fact]
    public async Task The_calculator_runs_over_zt()
    {
        var setup = await fabric.CreateServiceAsync("calc");
        string address = $"zt://{setup.Service}";
        using var server = Calculator("serve", address, "--identity", setup.HostIdentity);
        var listening = await ReadUntilAsync(server, "listening");
        listening.ShouldContain(address);

        using var client = Calculator("client", address, "--identity", setup.ClientIdentity);
        string transcript = await client.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await client.WaitForExitAsync();

        client.ExitCode.ShouldBe(0, transcript + await client.StandardError.ReadToEndAsync());
        transcript.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith("PASS", StringComparison.Ordinal)).ShouldBe(5, transcript);
        server.Kill(entireProcessTree: true);
    }

    private static Process Calculator(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SampleBinary());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>The sample from its own build output, with its own dependencies (not this test's ASP.NET set).</summary>
    private static string SampleBinary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = dir.Parent!.Name;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hanzo.Zt.Framework.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir!.FullName, "samples", "Calculator", "bin", configuration, "net10.0", "Calculator.dll");
    }

    private static async Task<string> ReadUntilAsync(Process process, string text)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new ShouldAssertException($"the process ended without printing '{text}': {await process.StandardError.ReadToEndAsync()}");
    }
}
