using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hanzo.Zt.Billing.Ledger.Http;
using Hanzo.Zt.Cli.Admin;
using Hanzo.Zt.Cli.Commands;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Router;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Cli.Quickstart;

/// <summary>
/// The quickstart's network on one machine, in this process: a controller, the ledger (over HTTP, so <c>zt ledger
/// deposit</c> reaches it), a router, and the demo service's records. Everything lives in one data directory, and
/// every step finds what an earlier run made instead of failing on it.
/// </summary>
internal sealed class QuickstartNetwork : IAsyncDisposable
{
    public const string DemoOrg = "demo";
    public const string Account = "demo/alice";
    public const string RouterName = "quickstart-router";
    public const string SignerName = "quickstart-dev-iam";
    public const string HostName = "demo-host", ClientName = "demo-client", IamUserName = "alice";
    public const string CallerAttribute = "demo-callers", ServiceAttribute = "demo";
    public static readonly string[] Services = ["demo", "echo"];

    private readonly List<IAsyncDisposable> _parts = [];

    private QuickstartNetwork(string dataDirectory) => DataDirectory = dataDirectory;

    public string DataDirectory { get; }

    public ControllerHost Controller { get; private set; } = null!;

    public LedgerServer Ledger { get; private set; } = null!;

    public RouterHost Router { get; private set; } = null!;

    public ManagementClient Admin { get; private set; } = null!;

    public DevIamIssuer Iam { get; private set; } = null!;

    public string IdentityFile(string name) => Path.Combine(DataDirectory, "identities", name + ".json");

    public string AdminPasswordFile => Path.Combine(DataDirectory, "admin-password");

    public string LedgerTokenFile => Path.Combine(DataDirectory, "ledger-token");

    public static QuickstartNetwork In(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new QuickstartNetwork(Path.GetFullPath(dataDirectory));
    }

    /// <summary>Starts the controller (first run: creates its CA and the admin) and signs in as admin.</summary>
    public async Task StartControllerAsync(CancellationToken cancellationToken)
    {
        string password = Secret(AdminPasswordFile);
        Controller = await ControllerHost.StartAsync(new ControllerOptions
        {
            DataDirectory = Path.Combine(DataDirectory, "controller"),
            Url = $"https://127.0.0.1:{PreferredPort("controller.port")}",
            AdminPassword = password,
        }, cancellationToken);
        RememberPort("controller.port", Controller.Url.Port);
        _parts.Insert(0, Controller);
        string url = Controller.Url.GetLeftPart(UriPartial.Authority);
        var (identity, token) = await LoginCommand.AuthenticateAsync(Controller.Url, Controller.CaCertificate, "admin", password, null, cancellationToken);
        Admin = new ManagementClient(new LoginState(url, Controller.CaCertificate.ExportCertificatePem(), identity, token));
    }

    /// <summary>Starts the ledger server and tops the demo wallet up to at least <paramref name="minimumCents"/>.</summary>
    public async Task<long> StartLedgerAsync(long minimumCents, CancellationToken cancellationToken)
    {
        Ledger = await LedgerServer.StartAsync(Path.Combine(DataDirectory, "ledger"), "http://127.0.0.1:0", Secret(LedgerTokenFile), cancellationToken);
        _parts.Insert(0, Ledger);
        var balance = await Ledger.Store.GetBalanceAsync(DemoOrg, Account, "usd", cancellationToken);
        if (balance.Balance < minimumCents)
        {
            await Ledger.Store.DepositAsync(DemoOrg, Account, minimumCents - balance.Balance, "usd", "quickstart demo funds", cancellationToken);
        }

        return (await Ledger.Store.GetBalanceAsync(DemoOrg, Account, "usd", cancellationToken)).Balance;
    }

    /// <summary>Registers the development IAM issuer as an external JWT signer (once).</summary>
    public async Task RegisterIamIssuerAsync(CancellationToken cancellationToken)
    {
        Iam = DevIamIssuer.LoadOrCreate(Path.Combine(DataDirectory, "iam"));
        var body = new
        {
            name = SignerName,
            issuer = DevIamIssuer.Issuer,
            audience = DevIamIssuer.Audience,
            certPem = Iam.CertificatePem,
            claimsProperty = "sub",
            useExternalId = true,
            tags = new { developmentOnly = true },
        };
        if (await Admin.FindByNameAsync("external-jwt-signers", SignerName, cancellationToken) is { } existing)
        {
            await Admin.UpdateAsync("external-jwt-signers", existing.GetProperty("id").GetString()!, body, cancellationToken);
        }
        else
        {
            await Admin.CreateAsync("external-jwt-signers", body, cancellationToken);
        }
    }

    /// <summary>Starts the router on a free loopback port, enrolling it on the first run; it announces its listener.</summary>
    public async Task StartRouterAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(DataDirectory, "router");
        string? jwt = null;
        if (!File.Exists(Path.Combine(directory, "router.cert.pem")))
        {
            var record = await Admin.FindByNameAsync("edge-routers", RouterName, cancellationToken);
            string id = record is { } r
                ? (await Admin.UpdateAsync("edge-routers", r.GetProperty("id").GetString()!, new { reEnroll = true }, cancellationToken)).GetProperty("id").GetString()!
                : (await Admin.CreateAsync("edge-routers", new { name = RouterName }, cancellationToken)).GetProperty("id").GetString()!;
            jwt = (await Admin.GetAsync("edge-routers", id, cancellationToken)).GetProperty("enrollmentJwt").GetString();
        }

        Router = await RouterHost.StartAsync(new RouterOptions
        {
            DataDirectory = directory,
            Listen = new Uri($"tls://127.0.0.1:{PreferredPort("router.port")}"),
            ControllerUrl = Controller.Url,
            EnrollmentJwt = jwt,
        }, loggers, cancellationToken);
        RememberPort("router.port", Router.EndPoint.Port);
        _parts.Insert(0, Router);
    }

    /// <summary>The demo services, their Bind and Dial policies, and the three identities (two enrolled, one for IAM sign-in).</summary>
    public async Task CreateServicesAsync(CancellationToken cancellationToken)
    {
        foreach (string service in Services)
        {
            await EnsureAsync("services", service, new { name = service, roleAttributes = new[] { ServiceAttribute } }, cancellationToken);
        }

        await EnsureAsync("service-policies", "demo-bind", new { name = "demo-bind", type = "Bind", semantic = "AnyOf", serviceRoles = new[] { "#" + ServiceAttribute }, identityRoles = new[] { "@" + HostName } }, cancellationToken);
        await EnsureAsync("service-policies", "demo-dial", new { name = "demo-dial", type = "Dial", semantic = "AnyOf", serviceRoles = new[] { "#" + ServiceAttribute }, identityRoles = new[] { "#" + CallerAttribute } }, cancellationToken);
        await EnsureAsync("identities", IamUserName, new { name = IamUserName, type = "User", externalId = IamUserName, roleAttributes = new[] { CallerAttribute } }, cancellationToken);
        await EnrollAsync(HostName, [], cancellationToken);
        await EnrollAsync(ClientName, [CallerAttribute], cancellationToken);
    }

    private async Task<JsonElement> EnsureAsync(string collection, string name, object body, CancellationToken cancellationToken) =>
        await Admin.FindByNameAsync(collection, name, cancellationToken) ?? await Admin.CreateAsync(collection, body, cancellationToken);

    /// <summary>Enrolls <paramref name="name"/> unless an earlier run left its identity file; points the file at this controller.</summary>
    private async Task EnrollAsync(string name, string[] attributes, CancellationToken cancellationToken)
    {
        string file = IdentityFile(name);
        var existing = await Admin.FindByNameAsync("identities", name, cancellationToken);
        if (existing is { } && File.Exists(file))
        {
            // The controller listens on a new port each run: the identity stays, its ztAPI follows.
            var json = JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken))!;
            json["ztAPI"] = Controller.Url.GetLeftPart(UriPartial.Authority);
            await File.WriteAllTextAsync(file, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            return;
        }

        if (existing is { } stale)
        {
            await Admin.DeleteAsync("identities", stale.GetProperty("id").GetString()!, cancellationToken);
        }

        var created = await Admin.CreateAsync("identities", new { name, type = "Device", roleAttributes = attributes, enrollment = new { ott = true } }, cancellationToken);
        string jwt = created.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!;
        await ZtContext.EnrollAsync(jwt, file, cancellationToken);
    }

    /// <summary>
    /// The port an earlier run used, when it is free now (so identity files, logins and the router's record stay
    /// valid from one run to the next), else 0 for any free port.
    /// </summary>
    private int PreferredPort(string file)
    {
        string path = Path.Combine(DataDirectory, file);
        if (!File.Exists(path) || !int.TryParse(File.ReadAllText(path).Trim(), out int port) || port is <= 0 or > 65535)
        {
            return 0;
        }

        try
        {
            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
            return port;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return 0;
        }
    }

    private void RememberPort(string file, int port) =>
        File.WriteAllText(Path.Combine(DataDirectory, file), port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");

    /// <summary>A secret kept in the data directory (readable by the user only), made on first use.</summary>
    private static string Secret(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, secret + "\n");
        return secret;
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        Iam?.Dispose();
        foreach (var part in _parts)
        {
            await part.DisposeAsync();
        }
    }
}

