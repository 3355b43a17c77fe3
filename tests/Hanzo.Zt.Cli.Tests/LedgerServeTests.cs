using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Hanzo.Zt.Cli.Tests;

public class LedgerServeTests : IDisposable
{
    private const string Token = "cli-test-token";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "zt-ledger-cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Ledger_serve_announces_listening_and_serves_the_billing_api()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var process = Start(Token, "ledger", "serve", "--data-dir", _dataDirectory, "--urls", url);
        try
        {
            var listening = await WaitForLineAsync(process, "listening", TimeSpan.FromSeconds(60));
            listening.ShouldContain(url);

            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(20) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var deposit = await client.PostAsJsonAsync("/v1/billing/deposit", new { user = "hanzo/alice", currency = "usd", amount = 1234 });
            deposit.StatusCode.ShouldBe(HttpStatusCode.Created);

            var balance = await client.GetFromJsonAsync<JsonElement>("/v1/billing/balance?user=hanzo/alice&currency=usd");
            balance.GetProperty("balance").GetInt64().ShouldBe(1234);
            balance.GetProperty("available").GetInt64().ShouldBe(1234);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Ledger_serve_without_a_service_token_exits_1_with_an_error()
    {
        using var process = Start(token: null, "ledger", "serve", "--data-dir", _dataDirectory, "--urls", "http://127.0.0.1:0");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await process.WaitForExitAsync(guard.Token);

        process.ExitCode.ShouldBe(1);
        (await error).ShouldContain("COMMERCE_SERVICE_TOKEN");
        (await output).ShouldNotContain("listening");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private static Process Start(string? token, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ZtProcess.ToolPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("COMMERCE_SERVICE_TOKEN");
        if (token is not null) start.Environment["COMMERCE_SERVICE_TOKEN"] = token;
        return Process.Start(start)!;
    }

    private static async Task<string> WaitForLineAsync(Process process, string marker, TimeSpan limit)
    {
        using var guard = new CancellationTokenSource(limit);
        while (await process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal)) return line;
        }
        throw new InvalidOperationException(
            $"zt exited (code {process.ExitCode}) before printing '{marker}': {await process.StandardError.ReadToEndAsync()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
