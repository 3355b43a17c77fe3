using System.Text;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Router;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Routers the tests start themselves: they announce their own listener (a router record needs only a name), and
/// their limits hold without the SDK's user noticing them.
/// </summary>
public sealed class RouterListenerTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("hanzo-zt-listener-").FullName;
    private ControllerHost _controller = null!;
    private AdminApi _admin = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHost.StartAsync(new ControllerOptions
        {
            DataDirectory = Path.Combine(_root, "controller"),
            Url = "https://127.0.0.1:0",
            AdminPassword = AdminApi.Password,
            PasswordIterations = 1000,
        });
        _admin = await AdminApi.LoginAsync(_controller.Url, _controller.CaCertificate);
    }

    [Fact]
    public async Task A_router_created_with_a_name_alone_announces_its_listener_and_clients_reach_it()
    {
        var created = await _admin.PostAsync("edge-routers", new { name = "bare" });
        string id = created.GetProperty("id").GetString()!;
        string jwt = (await _admin.GetAsync("edge-routers/" + id)).GetProperty("enrollmentJwt").GetString()!;

        await using var router = await StartRouterAsync("bare", jwt, "tls://127.0.0.1:0", NullLoggerFactoryOf());

        var record = await _admin.GetAsync("edge-routers/" + id);
        record.GetProperty("supportedProtocols").GetProperty("tls").GetString().ShouldBe($"tls://127.0.0.1:{router.EndPoint.Port}");
        record.GetProperty("hostname").GetString().ShouldBe("127.0.0.1");

        await DialThroughAsync();
    }

    [Fact]
    public async Task A_router_whose_record_names_another_address_corrects_it_and_says_so()
    {
        var created = await _admin.PostAsync("edge-routers", new
        {
            name = "moved",
            hostname = "127.0.0.1",
            supportedProtocols = new Dictionary<string, string> { ["tls"] = "tls://127.0.0.1:1" },
        });
        string id = created.GetProperty("id").GetString()!;
        string jwt = (await _admin.GetAsync("edge-routers/" + id)).GetProperty("enrollmentJwt").GetString()!;
        var log = new ListLogger();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log));

        await using var router = await StartRouterAsync("moved", jwt, "tls://127.0.0.1:0", loggers);

        string listener = $"tls://127.0.0.1:{router.EndPoint.Port}";
        (await _admin.GetAsync("edge-routers/" + id)).GetProperty("supportedProtocols").GetProperty("tls").GetString().ShouldBe(listener);
        var warning = log.Lines.ShouldHaveSingleItem();
        warning.ShouldContain("tls://127.0.0.1:1");
        warning.ShouldContain(listener);
        await DialThroughAsync();
    }

    [Fact]
    public async Task The_router_API_refuses_a_caller_without_a_router_certificate()
    {
        using var http = new HttpClient(Hanzo.Zt.Tokens.ZtTls.ControllerHandler(_controller.CaCertificate)) { BaseAddress = _controller.Url };
        using var response = await http.PutAsync("/edge/router/v1/listeners", new StringContent("""{"listeners":{"tls":"tls://127.0.0.1:9"}}""", Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).ShouldBe(401);
        (await response.Content.ReadAsStringAsync()).ShouldContain("certificate");
    }

    [Fact]
    public async Task A_dialer_past_the_circuits_one_session_may_open_gets_a_new_session_by_itself()
    {
        var created = await _admin.PostAsync("edge-routers", new { name = "strict" });
        string jwt = (await _admin.GetAsync("edge-routers/" + created.GetProperty("id").GetString())).GetProperty("enrollmentJwt").GetString()!;
        await using var router = await StartRouterAsync("strict", jwt, "tls://127.0.0.1:0", NullLoggerFactoryOf(), o => o.MaxCircuitsPerSession = 2);
        var (service, hostFile, clientFile) = await PrepareServiceAsync();
        await using var host = ZtContext.FromIdentityFile(hostFile);
        await using var listener = await host.ListenAsync(service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        await using var client = ZtContext.FromIdentityFile(clientFile);

        var open = new List<ZtConnection>();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                var connection = await client.DialAsync(service).WaitAsync(Guard);
                open.Add(connection);
                byte[] message = Encoding.UTF8.GetBytes($"connection {i}");
                await connection.WriteAsync(message);
                byte[] echoed = new byte[message.Length];
                await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);
                echoed.ShouldBe(message);
            }

            // Five circuits open at once, at most two per session: the SDK asked for new sessions when refused.
            open.Select(c => c.SessionId).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<RouterHost> StartRouterAsync(string name, string jwt, string listen, ILoggerFactory loggers, Action<RouterOptions>? configure = null)
    {
        var options = new RouterOptions
        {
            DataDirectory = Path.Combine(_root, "router-" + name),
            Listen = new Uri(listen),
            EnrollmentJwt = jwt,
        };
        configure?.Invoke(options);
        return await RouterHost.StartAsync(options, loggers).WaitAsync(Guard);
    }

    private static ILoggerFactory NullLoggerFactoryOf() => Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>Binds and dials a fresh service: the only routers this controller knows are the ones a test started.</summary>
    private async Task DialThroughAsync()
    {
        var (service, hostFile, clientFile) = await PrepareServiceAsync();
        await using var host = ZtContext.FromIdentityFile(hostFile);
        await using var listener = await host.ListenAsync(service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        await using var client = ZtContext.FromIdentityFile(clientFile);
        await using var connection = await client.DialAsync(service).WaitAsync(Guard);
        byte[] message = Encoding.UTF8.GetBytes("via the announced listener");
        await connection.WriteAsync(message);
        byte[] echoed = new byte[message.Length];
        await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);
        echoed.ShouldBe(message);
    }

    /// <summary>A fresh service with an enrolled host that may bind it and a client that may dial it.</summary>
    private async Task<(string Service, string HostFile, string ClientFile)> PrepareServiceAsync()
    {
        string service = "svc-" + Guid.NewGuid().ToString("N")[..6];
        await _admin.CreateServiceAsync(service);
        string Enroll(string name) => Path.Combine(_root, name + ".json");
        var (_, hostJwt) = await _admin.CreateIdentityAsync(service + "-host");
        var (_, clientJwt) = await _admin.CreateIdentityAsync(service + "-client");
        await ZtContext.EnrollAsync(hostJwt, Enroll(service + "-host"));
        await ZtContext.EnrollAsync(clientJwt, Enroll(service + "-client"));
        await _admin.CreatePolicyAsync("Bind", service + "-host", service);
        await _admin.CreatePolicyAsync("Dial", service + "-client", service);
        return (service, Enroll(service + "-host"), Enroll(service + "-client"));
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _controller.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
