using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Benchmarks.Fabric;

/// <summary>
/// A controller, a service with a bound host and a client in this process, and an edge router in its own process
/// (<c>zt router run</c>, as deployed), on loopback, for the fabric benchmark.
/// </summary>
internal sealed class BenchFabric : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hanzo-zt-bench-").FullName;
    private HttpClient _admin = null!;

    public ControllerHost Controller { get; private set; } = null!;

    /// <summary>The router process.</summary>
    public Process Router { get; private set; } = null!;

    public string Service { get; } = "bench-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>A second service, bound by <c>zt echo-host</c> in its own process (started by <see cref="StartEchoHostAsync"/>).</summary>
    public string EchoService => Service + "-echo";

    public ZtContext Host { get; private set; } = null!;

    public ZtContext Client { get; private set; } = null!;

    public string HostIdentityFile { get; private set; } = "";

    public string ClientIdentityFile { get; private set; } = "";

    public static async Task<BenchFabric> StartAsync()
    {
        var fabric = new BenchFabric();
        await fabric.InitializeAsync();
        return fabric;
    }

    private async Task InitializeAsync()
    {
        Controller = await ControllerHost.StartAsync(new ControllerOptions
        {
            DataDirectory = Path.Combine(_root, "controller"),
            Url = "https://127.0.0.1:0",
            AdminPassword = "bench-admin-password",
            PasswordIterations = 1000,
        });
        var ca = Controller.CaCertificate;
        _admin = new HttpClient(ZtTls.ControllerHandler(ca))
        {
            BaseAddress = Controller.Url,
        };
        using (var login = await _admin.PostAsJsonAsync("/edge/client/v1/authenticate?method=password", new { username = "admin", password = "bench-admin-password" }))
        {
            _admin.DefaultRequestHeaders.Add("zt-session", (await DataAsync(login)).GetProperty("token").GetString());
        }

        var listen = new Uri($"tls://127.0.0.1:{FreePort()}");
        var router = await PostAsync("edge-routers", new { name = "bench-router", hostname = "127.0.0.1", supportedProtocols = new Dictionary<string, string> { ["tls"] = listen.ToString().TrimEnd('/') } });
        string routerJwt = (await GetAsync("edge-routers/" + router.GetProperty("id").GetString())).GetProperty("enrollmentJwt").GetString()!;
        string jwtFile = Path.Combine(_root, "router.jwt");
        await File.WriteAllTextAsync(jwtFile, routerJwt);
        Router = StartZt(["router", "run", "--controller", Controller.Url.ToString(), "--data-dir", Path.Combine(_root, "router"), "--listen", listen.ToString().TrimEnd('/'), "--enroll", jwtFile]);
        using (var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (await Router.StandardOutput.ReadLineAsync(guard.Token) is { } line && !line.Contains("listening", StringComparison.Ordinal))
            {
            }
        }

        await PostAsync("services", new { name = Service });
        HostIdentityFile = await EnrollAsync(Service + "-host");
        string client = await EnrollAsync(Service + "-client");
        await PolicyAsync("Bind", Service + "-host", Service);
        await PolicyAsync("Dial", Service + "-client", Service);
        await PostAsync("services", new { name = EchoService });
        EchoHostIdentityFile = await EnrollAsync(EchoService + "-host");
        await PolicyAsync("Bind", EchoService + "-host", EchoService);
        await PolicyAsync("Dial", Service + "-client", EchoService);
        Host = ZtContext.FromIdentityFile(HostIdentityFile);
        Client = ZtContext.FromIdentityFile(client);
        ClientIdentityFile = client;
    }

    /// <summary>Starts <c>zt</c> with <paramref name="args"/>, its standard output redirected.</summary>
    private static Process StartZt(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zt.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start zt router run");
    }

    /// <summary>The router process's resident memory, from /proc.</summary>
    public long RouterResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Router.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS for the router process");
    }

    private async Task<string> EnrollAsync(string name)
    {
        var created = await PostAsync("identities", new { name, type = "Device", enrollment = new { ott = true } });
        string file = Path.Combine(_root, name + ".json");
        await ZtContext.EnrollAsync(created.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!, file);
        return file;
    }

    private Task<JsonElement> PolicyAsync(string type, string identity, string service) =>
        PostAsync("service-policies", new { name = type + "-" + identity + "-" + service, type, semantic = "AnyOf", identityRoles = new[] { "@" + identity }, serviceRoles = new[] { "@" + service } });

    /// <summary>The identity <c>zt echo-host</c> binds <see cref="EchoService"/> with.</summary>
    public string EchoHostIdentityFile { get; private set; } = "";

    /// <summary>The <c>zt echo-host</c> process, once started.</summary>
    public Process? EchoHost { get; private set; }

    /// <summary>Starts <c>zt echo-host</c> on <see cref="EchoService"/> and waits until its bind is live.</summary>
    public async Task StartEchoHostAsync()
    {
        EchoHost = StartZt(["echo-host", "--identity", EchoHostIdentityFile, "--service", EchoService]);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await EchoHost.StandardOutput.ReadLineAsync(guard.Token) is { } line && !line.Contains("bound", StringComparison.Ordinal))
        {
        }
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await _admin.PostAsJsonAsync("/edge/management/v1/" + path, body);
        return await DataAsync(response);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _admin.GetAsync("/edge/management/v1/" + path);
        return await DataAsync(response);
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    public static int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Host.DisposeAsync();
        if (EchoHost is { } echo)
        {
            echo.Kill(entireProcessTree: true);
            await echo.WaitForExitAsync();
            echo.Dispose();
        }

        Router.Kill(entireProcessTree: true);
        await Router.WaitForExitAsync();
        Router.Dispose();
        await Controller.DisposeAsync();
        _admin.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
