using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// A fabric of real processes on loopback, one per test because tests stop its parts: <c>zt controller run</c>,
/// <c>zt router run</c>, and on request <c>zt echo-host</c> and <c>zt dial</c>. The test process itself can be
/// the client (through <see cref="ZtContext"/>) where a test needs to observe errors as types.
/// </summary>
internal sealed class ProcessFabric : IAsyncDisposable
{
    private readonly ChildProcesses _children = new();
    private int _routerPort;
    private string _routerJwtFile = "";

    private ProcessFabric(ProcessFabricSettings settings) => Settings = settings;

    /// <summary>Extra arguments and environment of the controller and router processes (the router's are read at every start).</summary>
    public ProcessFabricSettings Settings { get; }

    public string Root { get; } = Directory.CreateTempSubdirectory("hanzo-zt-processes-").FullName;

    public Uri ControllerUrl { get; private set; } = null!;

    public AdminApi Admin { get; private set; } = null!;

    public ZtChildProcess Controller { get; private set; } = null!;

    public ZtChildProcess Router { get; private set; } = null!;

    /// <summary>Starts a controller process and an enrolled router process.</summary>
    public static async Task<ProcessFabric> StartAsync(ProcessFabricSettings? settings = null)
    {
        var fabric = new ProcessFabric(settings ?? new ProcessFabricSettings());
        try
        {
            await fabric.StartControllerAsync();
            fabric._routerPort = FabricFixture.FreePort();
            string jwt = await fabric.Admin.CreateRouterAsync("router-" + Guid.NewGuid().ToString("N")[..6], fabric.RouterUrl);
            fabric._routerJwtFile = Path.Combine(fabric.Root, "router.jwt");
            await File.WriteAllTextAsync(fabric._routerJwtFile, jwt);
            await fabric.StartRouterAsync(enroll: true);
            return fabric;
        }
        catch
        {
            await fabric.DisposeAsync();
            throw;
        }
    }

    public Uri RouterUrl => new($"tls://127.0.0.1:{_routerPort}");

    private async Task StartControllerAsync()
    {
        int port = FabricFixture.FreePort();
        Controller = Spawn(
            ["controller", "run", "--data-dir", Path.Combine(Root, "controller"), "--urls", $"https://127.0.0.1:{port}", .. Settings.ControllerArgs],
            new Dictionary<string, string>(Settings.ControllerEnvironment) { ["ZT_ADMIN_PASSWORD"] = AdminApi.Password });
        await Controller.WaitForLineAsync("listening");
        ControllerUrl = new Uri($"https://127.0.0.1:{port}");

        // Trust on first use, as enrollment does: the CA is fetched once, then every call checks against it.
        string caPem;
        using (var bootstrap = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
        {
            caPem = await bootstrap.GetStringAsync(new Uri(ControllerUrl, "/edge/client/v1/.well-known/est/cacerts"));
        }

        Admin = await AdminApi.LoginAsync(ControllerUrl, X509Certificate2.CreateFromPem(caPem));
    }

    private async Task StartRouterAsync(bool enroll)
    {
        List<string> args = ["router", "run", "--controller", ControllerUrl.ToString(), "--data-dir", Path.Combine(Root, "router"), "--listen", RouterUrl.ToString().TrimEnd('/'), .. Settings.RouterArgs];
        if (enroll)
        {
            args.AddRange(["--enroll", _routerJwtFile]);
        }

        Router = Spawn(args, new Dictionary<string, string>(Settings.RouterEnvironment));
        await Router.WaitForLineAsync("listening");
    }

    /// <summary>Kills the router process (as a crash would) and starts it again on the same address and data directory.</summary>
    public async Task RestartRouterAsync()
    {
        await Router.KillAsync();
        await StartRouterAsync(enroll: false);
    }

    /// <summary>Stops the controller process (SIGTERM).</summary>
    public Task<int> StopControllerAsync() => Controller.StopAsync();

    /// <summary>A service with a host identity allowed to bind it and a client allowed to dial it, both enrolled.</summary>
    /// <param name="prefix">The service name's start (a random suffix makes it unique), or the whole name with <paramref name="exactName"/>.</param>
    /// <param name="enrollWithCli">Enroll with <c>zt enroll</c> processes rather than in this process.</param>
    /// <param name="exactName">Name the service <paramref name="prefix"/> itself (for settings keyed by service name).</param>
    public async Task<ServiceSetup> CreateServiceAsync(string prefix, bool enrollWithCli = false, bool exactName = false)
    {
        string service = exactName ? prefix : prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await Admin.CreateServiceAsync(service);
        var host = await EnrollAsync(service + "-host", enrollWithCli);
        var client = await EnrollAsync(service + "-client", enrollWithCli);
        await Admin.CreatePolicyAsync("Bind", service + "-host", service);
        await Admin.CreatePolicyAsync("Dial", service + "-client", service);
        return new ServiceSetup(service, host.Id, host.File, client.Id, client.File);
    }

    private async Task<(string Id, string File)> EnrollAsync(string name, bool withCli)
    {
        var (id, jwt) = await Admin.CreateIdentityAsync(name);
        string file = Path.Combine(Root, name + ".json");
        if (!withCli)
        {
            await ZtContext.EnrollAsync(jwt, file);
            return (id, file);
        }

        string jwtFile = Path.Combine(Root, name + ".jwt");
        await File.WriteAllTextAsync(jwtFile, jwt);
        await using var enroll = Spawn(["enroll", jwtFile, "--out", file]);
        int exit = await enroll.WaitForExitAsync();
        exit.ShouldBe(0, enroll.Transcript);
        return (id, file);
    }

    /// <summary>Starts <c>zt echo-host</c> for the setup's service and waits until its bind is live.</summary>
    public async Task<ZtChildProcess> StartEchoHostAsync(ServiceSetup setup)
    {
        var host = Spawn(["echo-host", "--identity", setup.HostIdentity, "--service", setup.Service]);
        await host.WaitForLineAsync("bound");
        return host;
    }

    /// <summary>Starts <c>zt dial</c>; its standard input and output carry the connection's bytes.</summary>
    public ZtChildProcess StartDial(ServiceSetup setup) =>
        Spawn(["dial", setup.Service, "--identity", setup.ClientIdentity], rawOutput: true);

    /// <summary>Starts the Greeter sample (a host wired only by AddHanzoZt and configuration) with <paramref name="settings"/> as environment variables.</summary>
    public ZtChildProcess StartGreeter(IDictionary<string, string> settings) =>
        Spawn([], settings, program: Path.Combine(AppContext.BaseDirectory, "Greeter.dll"));

    /// <summary>Starts <c>zt</c> (or <paramref name="program"/>); the process is killed when the fabric is disposed.</summary>
    public ZtChildProcess Spawn(IEnumerable<string> args, IDictionary<string, string>? environment = null, bool rawOutput = false, string? program = null)
    {
        return _children.Add(ZtChildProcess.Start(args, environment, rawOutput, program));
    }

    public async ValueTask DisposeAsync()
    {
        await _children.DisposeAllAsync();

        Admin?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What a <see cref="ProcessFabric"/> adds to its controller and router command lines and environments.</summary>
internal sealed class ProcessFabricSettings
{
    public List<string> ControllerArgs { get; } = [];

    public Dictionary<string, string> ControllerEnvironment { get; } = [];

    public List<string> RouterArgs { get; } = [];

    public Dictionary<string, string> RouterEnvironment { get; } = [];
}
