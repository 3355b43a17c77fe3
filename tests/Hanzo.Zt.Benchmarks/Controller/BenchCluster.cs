using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Tokens;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Benchmarks.Controller;

/// <summary>
/// Controllers as <c>zt controller run</c> processes on one store (SQLite in a temporary directory, or a PostgreSQL
/// database shared by all of them), with an enrolled identity that may dial one service.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private const string AdminPassword = "bench-admin-password";
    private readonly List<Process> _processes = [];
    private readonly string _root = Directory.CreateTempSubdirectory("hanzo-zt-bench-controller-").FullName;

    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    public X509Certificate2 Ca { get; private set; } = null!;

    public ZtIdentity Identity { get; private set; } = null!;

    public string Service { get; } = "bench-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Starts <paramref name="count"/> controllers on PostgreSQL (<paramref name="connectionString"/>) or, when it is null, one on SQLite.</summary>
    public static async Task<BenchCluster> StartAsync(int count, string? connectionString)
    {
        var cluster = new BenchCluster();
        try
        {
            var ports = Enumerable.Range(0, count).Select(_ => FreePort()).ToList();
            var started = ports.Select(port => cluster.StartController(port, connectionString)).ToList();
            await Task.WhenAll(started.Select(WaitListeningAsync));
            cluster.Urls = [.. ports.Select(p => new Uri($"https://127.0.0.1:{p}"))];
            await cluster.SetUpAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client trusting the controllers' CA, presenting the identity's certificate.</summary>
    public HttpClient CreateHttp()
    {
        var handler = ZtTls.ControllerHandler(Ca, Identity?.Certificate);
        handler.MaxConnectionsPerServer = 256;
        return new HttpClient(handler);
    }

    private Process StartController(int port, string? connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zt.dll"));
        foreach (var arg in new[] { "controller", "run", "--urls", $"https://127.0.0.1:{port}" }) start.ArgumentList.Add(arg);
        if (connectionString is null)
        {
            start.ArgumentList.Add("--data-dir");
            start.ArgumentList.Add(Path.Combine(_root, "sqlite"));
        }
        else
        {
            start.ArgumentList.Add("--store");
            start.ArgumentList.Add("postgresql");
            start.Environment["ZT_CONTROLLER_CONNECTION_STRING"] = connectionString;
            start.Environment["ZT_CONTROLLER_KEY"] = "bench-cluster-key";
        }
        start.Environment["ZT_ADMIN_PASSWORD"] = AdminPassword;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start zt controller run");
        _processes.Add(process);
        // Request logs are not read: drain them so the controller never blocks on a full pipe.
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task WaitListeningAsync(Process process)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.Contains("listening", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return;
            }
        }

        throw new InvalidOperationException("zt controller run ended before listening");
    }

    private async Task SetUpAsync()
    {
        using (var bootstrap = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
        {
            Ca = X509Certificate2.CreateFromPem(await bootstrap.GetStringAsync(new Uri(Urls[0], "/edge/client/v1/.well-known/est/cacerts")));
        }

        using var http = CreateHttp();
        using var login = await http.PostAsJsonAsync(new Uri(Urls[0], "/edge/client/v1/authenticate?method=password"), new { username = "admin", password = AdminPassword });
        string token = (await Data(login)).GetProperty("token").GetString()!;
        async Task<JsonElement> PostAsync(string path, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Urls[0], "/edge/management/v1/" + path)) { Content = JsonContent.Create(body) };
            request.Headers.Add("zt-session", token);
            using var response = await http.SendAsync(request);
            return await Data(response);
        }

        await PostAsync("services", new { name = Service });
        string name = Service + "-client";
        var identity = await PostAsync("identities", new { name, type = "Device", enrollment = new { ott = true } });
        await PostAsync("service-policies", new { name = Service + "-dial", type = "Dial", semantic = "AnyOf", identityRoles = new[] { "@" + name }, serviceRoles = new[] { "@" + Service } });
        string file = Path.Combine(_root, "client.json");
        await ZtContext.EnrollAsync(identity.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!, file);
        Identity = IdentityFile.Load(file);
    }

    internal static async Task<JsonElement> Data(HttpResponseMessage response)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {json}");
        return json.GetProperty("data").Clone();
    }

    private static int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }

        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
