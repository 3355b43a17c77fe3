using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Hanzo.Zt.Cli.Tests;

public class ControllerCommandTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string dataDir, int port, string? adminPassword)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ZtProcess.ToolPath, "controller", "run", "--data-dir", dataDir, "--urls", $"https://127.0.0.1:{port}" })
            start.ArgumentList.Add(arg);
        start.Environment.Remove("ZT_CONTROLLER_KEY");
        if (adminPassword is null) start.Environment.Remove("ZT_ADMIN_PASSWORD");
        else start.Environment["ZT_ADMIN_PASSWORD"] = adminPassword;
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Controller_run_serves_https_until_terminated_and_admin_can_log_in()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"zt-cli-controller-{Guid.NewGuid():N}");
        var port = FreePort();
        using var process = Start(dataDir, port, "cli-admin-password");
        try
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var output = new System.Text.StringBuilder();
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (output) output.AppendLine(e.Data);
                if (e.Data.Contains("zt controller listening", StringComparison.Ordinal)) listening.TrySetResult();
            };
            process.BeginOutputReadLine();
            var errors = process.StandardError.ReadToEndAsync();
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

            // Fetch the CA once, then trust only it.
            string caPem;
            using (var bootstrap = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
                caPem = await bootstrap.GetStringAsync($"https://127.0.0.1:{port}/edge/client/v1/.well-known/est/cacerts", guard.Token);
            using var ca = X509Certificate2.CreateFromPem(caPem);
            using var http = new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
                {
                    chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate!);
                },
            });
            using var login = await http.PostAsJsonAsync($"https://127.0.0.1:{port}/edge/client/v1/authenticate?method=password",
                new { username = "admin", password = "cli-admin-password" }, guard.Token);
            login.StatusCode.ShouldBe(HttpStatusCode.OK);
            var session = JsonDocument.Parse(await login.Content.ReadAsStringAsync(guard.Token)).RootElement.GetProperty("data");
            session.GetProperty("identity").GetProperty("name").GetString().ShouldBe("admin");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])!) await kill.WaitForExitAsync(guard.Token);
            await process.WaitForExitAsync(guard.Token);
            process.ExitCode.ShouldBe(0, await errors);
            lock (output) output.ToString().ShouldContain("zt controller stopped");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Controller_run_refuses_an_empty_data_directory_without_ZT_ADMIN_PASSWORD()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"zt-cli-controller-{Guid.NewGuid():N}");
        using var process = Start(dataDir, FreePort(), adminPassword: null);
        try
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var error = process.StandardError.ReadToEndAsync(guard.Token);
            var output = process.StandardOutput.ReadToEndAsync(guard.Token);
            await process.WaitForExitAsync(guard.Token);

            process.ExitCode.ShouldNotBe(0);
            (await error).ShouldContain("ZT_ADMIN_PASSWORD");
            (await output).ShouldNotContain("listening");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }
}
