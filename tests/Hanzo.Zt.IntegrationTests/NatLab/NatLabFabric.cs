using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Tokens;
using Shouldly;
using Xunit;

namespace Hanzo.Zt.IntegrationTests.NatLab;

/// <summary>
/// The NAT lab with a fabric in it: <c>zt controller run</c> and <c>zt router run</c> processes on the public side,
/// hosts in private network A and dialers in private network B, each a real <c>zt</c> process in its namespace.
/// Unavailable (and the lab tests skip) where network namespaces are not permitted.
/// </summary>
public sealed class NatLabFabric : IAsyncLifetime
{
    private const int ControllerPort = 1280;
    private const int RouterPort = 3022;
    private readonly ChildProcesses _children = new();

    public NatLab? Lab { get; private set; }

    public string Root { get; } = Directory.CreateTempSubdirectory("hanzo-zt-natlab-").FullName;

    internal AdminApi Admin { get; private set; } = null!;

    public static Uri ControllerUrl => new($"https://{NatLab.PublicAddress}:{ControllerPort}");

    public static Uri RouterUrl => new($"tls://{NatLab.PublicAddress}:{RouterPort}");

    public async Task InitializeAsync()
    {
        Lab = await NatLab.TryCreateAsync();
        if (Lab is null)
        {
            return;
        }

        var controller = Spawn(Lab.Public, ["controller", "run", "--data-dir", Path.Combine(Root, "controller"), "--urls", ControllerUrl.ToString().TrimEnd('/')],
            new Dictionary<string, string> { ["ZT_ADMIN_PASSWORD"] = AdminApi.Password });
        await controller.WaitForLineAsync("listening");

        // Trust on first use, as enrollment does; then every call checks the controller against its CA.
        string caPem;
        using (var bootstrap = new HttpClient(Handler(Lab.Public, _ => true)))
        {
            caPem = await bootstrap.GetStringAsync(new Uri(ControllerUrl, "/edge/client/v1/.well-known/est/cacerts"));
        }

        var ca = X509Certificate2.CreateFromPem(caPem);
        Admin = await AdminApi.LoginAsync(ControllerUrl, Handler(Lab.Public, c => c is not null && ZtCertificates.ChainsTo(c, ca)));
        string jwt = await Admin.CreateRouterAsync("router-lab", RouterUrl);
        string jwtFile = Path.Combine(Root, "router.jwt");
        await File.WriteAllTextAsync(jwtFile, jwt);
        var router = Spawn(Lab.Public, ["router", "run", "--controller", ControllerUrl.ToString(), "--data-dir", Path.Combine(Root, "router"), "--listen", RouterUrl.ToString().TrimEnd('/'), "--enroll", jwtFile]);
        await router.WaitForLineAsync("listening");
    }

    private static SocketsHttpHandler Handler(string netns, Func<X509Certificate2?, bool> trust) => new()
    {
        ConnectCallback = async (context, _) =>
        {
            var address = IPAddress.Parse(context.DnsEndPoint.Host);
            return new System.Net.Sockets.NetworkStream(await NetNamespace.ConnectAsync(netns, new IPEndPoint(address, context.DnsEndPoint.Port)), ownsSocket: true);
        },
        SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => trust(c as X509Certificate2) },
    };

    /// <summary>A service whose host identity (enrolled in network A) may bind it and whose client (enrolled in network B) may dial it.</summary>
    public async Task<ServiceSetup> CreateServiceAsync(string prefix)
    {
        string service = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await Admin.CreateServiceAsync(service);
        var host = await EnrollAsync(service + "-host", Lab!.HostA);
        var client = await EnrollAsync(service + "-client", Lab.HostB);
        await Admin.CreatePolicyAsync("Bind", service + "-host", service);
        await Admin.CreatePolicyAsync("Dial", service + "-client", service);
        return new ServiceSetup(service, host.Id, host.File, client.Id, client.File);
    }

    private async Task<(string Id, string File)> EnrollAsync(string name, string netns)
    {
        var (id, jwt) = await Admin.CreateIdentityAsync(name);
        string file = Path.Combine(Root, name + ".json");
        string jwtFile = Path.Combine(Root, name + ".jwt");
        await File.WriteAllTextAsync(jwtFile, jwt);
        await using var enroll = Spawn(netns, ["enroll", jwtFile, "--out", file]);
        int exit = await enroll.WaitForExitAsync();
        exit.ShouldBe(0, enroll.Transcript);
        return (id, file);
    }

    /// <summary>Starts <c>zt echo-host</c> in network A and waits for its bind.</summary>
    internal async Task<ZtChildProcess> StartEchoHostAsync(ServiceSetup setup)
    {
        var host = Spawn(Lab!.HostA, ["echo-host", "--identity", setup.HostIdentity, "--service", setup.Service]);
        await host.WaitForLineAsync("bound");
        return host;
    }

    /// <summary>Starts <c>zt dial</c> in network B; its standard input and output carry the connection's bytes.</summary>
    internal ZtChildProcess StartDial(ServiceSetup setup) => Spawn(Lab!.HostB, ["dial", setup.Service, "--identity", setup.ClientIdentity], rawOutput: true);

    /// <summary>Runs <c>zt ping</c> in network B to completion; returns its exit code and reply lines.</summary>
    public async Task<(int Exit, List<string> Pongs, string Transcript)> PingAsync(ServiceSetup setup, params string[] options)
    {
        await using var ping = Spawn(Lab!.HostB, ["ping", setup.Service, "--identity", setup.ClientIdentity, .. options]);
        int exit = await ping.WaitForExitAsync();
        var pongs = ping.Transcript.Split('\n').Where(l => l.StartsWith("pong from ", StringComparison.Ordinal)).ToList();
        return (exit, pongs, ping.Transcript);
    }

    internal ZtChildProcess Spawn(string netns, IEnumerable<string> args, IDictionary<string, string>? environment = null, bool rawOutput = false)
    {
        return _children.Add(ZtChildProcess.Start(args, environment, rawOutput, netns: netns));
    }

    public async Task DisposeAsync()
    {
        await _children.DisposeAllAsync();

        Admin?.Dispose();
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
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
