using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Testing;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Controllers of one cluster as real <c>zt controller run</c> processes on a fresh PostgreSQL database, started at
/// the same moment on the empty database (so they race to create the CA and keys); optionally an edge router process
/// fed by all of them.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    public const string ClusterKey = "cluster-key-for-tests";
    private readonly ChildProcesses _children = new();

    private ProcessCluster()
    {
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("hanzo-zt-cluster-").FullName;

    public string ConnectionString { get; private set; } = "";

    public IReadOnlyList<ZtChildProcess> Controllers { get; private set; } = [];

    public IReadOnlyList<Uri> ControllerUrls { get; private set; } = [];

    /// <summary>The administrator through each controller (the same admin: the login was made through each).</summary>
    public IReadOnlyList<AdminApi> Admins { get; private set; } = [];

    public X509Certificate2 Ca { get; private set; } = null!;

    public ZtChildProcess? Router { get; private set; }

    public Uri RouterUrl { get; private set; } = null!;

    public static async Task<ProcessCluster> StartAsync(int controllers = 2)
    {
        var cluster = new ProcessCluster();
        try
        {
            var server = await PostgresServer.SharedAsync();
            cluster.ConnectionString = await server.CreateDatabaseAsync(maxPoolSize: 40);
            var ports = Enumerable.Range(0, controllers).Select(_ => FabricFixture.FreePort()).ToList();
            cluster.Controllers = [.. ports.Select(port => cluster.Spawn(
                ["controller", "run", "--store", "postgresql", "--urls", $"https://127.0.0.1:{port}"],
                new Dictionary<string, string>
                {
                    ["ZT_ADMIN_PASSWORD"] = AdminApi.Password,
                    ["ZT_CONTROLLER_KEY"] = ClusterKey,
                    ["ZT_CONTROLLER_CONNECTION_STRING"] = cluster.ConnectionString,
                }))];
            await Task.WhenAll(cluster.Controllers.Select(c => c.WaitForLineAsync("listening")));
            cluster.ControllerUrls = [.. ports.Select(p => new Uri($"https://127.0.0.1:{p}"))];

            // Trust on first use of the first controller's CA, as enrollment does; the others must present the same.
            using (var bootstrap = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
            {
                cluster.Ca = X509Certificate2.CreateFromPem(await bootstrap.GetStringAsync(new Uri(cluster.ControllerUrls[0], "/edge/client/v1/.well-known/est/cacerts")));
            }

            cluster.Admins = await Task.WhenAll(cluster.ControllerUrls.Select(url => AdminApi.LoginAsync(url, cluster.Ca)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts an enrolled router process that polls <paramref name="controllers"/> (in order) for keys and revocations.</summary>
    public async Task<ZtChildProcess> StartRouterAsync(IEnumerable<Uri> controllers)
    {
        RouterUrl = new Uri($"tls://127.0.0.1:{FabricFixture.FreePort()}");
        string jwtFile = Path.Combine(Root, "router.jwt");
        await File.WriteAllTextAsync(jwtFile, await Admins[0].CreateRouterAsync("router-" + Guid.NewGuid().ToString("N")[..6], RouterUrl));
        Router = Spawn(["router", "run", "--controller", string.Join(",", controllers), "--data-dir", Path.Combine(Root, "router"),
            "--listen", RouterUrl.ToString().TrimEnd('/'), "--enroll", jwtFile]);
        await Router.WaitForLineAsync("listening");
        return Router;
    }

    /// <summary>An HTTP client that trusts only the cluster's CA, with no base address.</summary>
    public HttpClient CreateHttp()
    {
        var handler = ZtTls.ControllerHandler(Ca);
        handler.MaxConnectionsPerServer = 64;
        return new HttpClient(handler);
    }

    /// <summary>Logs in with a password through <paramref name="controller"/>; returns the API session token.</summary>
    public async Task<string> LoginAsync(Uri controller, string user, string password)
    {
        using var http = CreateHttp();
        using var response = await http.PostAsJsonAsync(new Uri(controller, "/edge/client/v1/authenticate?method=password"), new { username = user, password });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.ShouldBeTrue($"login of {user} through {controller}: {json}");
        return json.GetProperty("data").GetProperty("token").GetString()!;
    }

    /// <summary>Starts <c>zt echo-host</c> for the service with the given controllers and waits until its bind is live.</summary>
    public async Task<ZtChildProcess> StartEchoHostAsync(ServiceSetup setup, IEnumerable<Uri> controllers)
    {
        var host = Spawn(["echo-host", "--identity", setup.HostIdentity, "--service", setup.Service, "--controller", string.Join(",", controllers)]);
        await host.WaitForLineAsync("bound");
        return host;
    }

    /// <summary>A service with an enrolled host identity allowed to bind it and an enrolled client allowed to dial it.</summary>
    public async Task<ServiceSetup> CreateServiceAsync(string prefix)
    {
        var admin = Admins[0];
        string service = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await admin.CreateServiceAsync(service);
        var host = await EnrollAsync(service + "-host");
        var client = await EnrollAsync(service + "-client");
        await admin.CreatePolicyAsync("Bind", service + "-host", service);
        await admin.CreatePolicyAsync("Dial", service + "-client", service);
        return new ServiceSetup(service, host.Id, host.File, client.Id, client.File);
    }

    private async Task<(string Id, string File)> EnrollAsync(string name)
    {
        var (id, jwt) = await Admins[0].CreateIdentityAsync(name);
        string file = Path.Combine(Root, name + ".json");
        await Fabric.ZtContext.EnrollAsync(jwt, file);
        return (id, file);
    }

    private ZtChildProcess Spawn(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        return _children.Add(ZtChildProcess.Start(args, environment));
    }

    public async ValueTask DisposeAsync()
    {
        await _children.DisposeAllAsync();

        foreach (var admin in Admins)
        {
            admin.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
