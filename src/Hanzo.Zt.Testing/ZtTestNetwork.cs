using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Billing.Ledger;
using Hanzo.Zt.Billing.Ledger.Http;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Router;

namespace Hanzo.Zt.Testing;

/// <summary>
/// A whole Hanzo ZT network inside a test: a controller, an edge router and a billing ledger, each on a free
/// loopback port with its state in a temporary directory, plus helpers that make enrolled identities, services
/// with their Bind and Dial policies, and funded billing accounts. What <c>WebApplicationFactory</c> is to an
/// ASP.NET Core application, this is to a service on the fabric:
/// <code>
/// await using var network = await ZtTestNetwork.StartAsync();
/// var orders = await network.CreateServiceAsync("orders");
/// await network.FundAsync("acme/shop", 1_000);
/// // serve as orders.Host.IdentityFile, call as orders.Client.IdentityFile
/// </code>
/// Dispose it to stop everything and delete its directory.
/// </summary>
public sealed class ZtTestNetwork : IAsyncDisposable
{
    private string _adminPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private int _disposed;

    private ZtTestNetwork()
    {
    }

    /// <summary>The directory holding every part's state and the identity files; deleted on dispose.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("hanzo-zt-test-").FullName;

    /// <summary>The running controller.</summary>
    public ControllerHost Controller { get; private set; } = null!;

    /// <summary>The controller's URL (<c>HanzoZt:ControllerUrl</c>).</summary>
    public Uri ControllerUrl => Controller.Url;

    /// <summary>The controller's CA: it signed every certificate on this network.</summary>
    public X509Certificate2 CaCertificate => Controller.CaCertificate;

    /// <summary>The running edge router.</summary>
    public RouterHost Router { get; private set; } = null!;

    /// <summary>The router's edge address (<c>tls://127.0.0.1:port</c>).</summary>
    public Uri RouterUrl { get; private set; } = null!;

    /// <summary>The billing ledger, serving Hanzo Commerce's billing API; null when <see cref="ZtTestNetworkOptions.StartLedger"/> is off.</summary>
    public LedgerServer? Ledger { get; private set; }

    /// <summary>The ledger's URL, for the Commerce billing provider's <c>BaseUrl</c>.</summary>
    public Uri LedgerUrl => RequireLedger().Address;

    /// <summary>The service token the ledger accepts, for the Commerce billing provider's <c>ServiceToken</c>.</summary>
    public string LedgerToken { get; } = "zt-test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The management API, signed in as the administrator.</summary>
    public ZtTestAdmin Admin { get; private set; } = null!;

    /// <summary>Starts a controller, an enrolled router and (unless turned off) a ledger.</summary>
    public static async Task<ZtTestNetwork> StartAsync(ZtTestNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ZtTestNetworkOptions();
        var network = new ZtTestNetwork();
        try
        {
            await network.StartPartsAsync(options, cancellationToken).ConfigureAwait(false);
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartPartsAsync(ZtTestNetworkOptions options, CancellationToken cancellationToken)
    {
        _adminPassword = options.AdminPassword ?? _adminPassword;
        var controller = new ControllerOptions
        {
            DataDirectory = Path.Combine(Root, "controller"),
            Url = "https://127.0.0.1:0",
            AdminPassword = _adminPassword,
            PasswordIterations = 1000,
        };
        options.ConfigureController?.Invoke(controller);
        Controller = await ControllerHost.StartAsync(controller, cancellationToken).ConfigureAwait(false);
        Admin = await ZtTestAdmin.LoginAsync(Controller.Url, Controller.CaCertificate, _adminPassword, cancellationToken).ConfigureAwait(false);

        RouterUrl = new Uri($"tls://127.0.0.1:{FreePort()}");
        string jwt = await Admin.CreateRouterAsync("router-" + Guid.NewGuid().ToString("N")[..6], RouterUrl, cancellationToken).ConfigureAwait(false);
        var router = new RouterOptions
        {
            DataDirectory = Path.Combine(Root, "router"),
            Listen = RouterUrl,
            EnrollmentJwt = jwt,
            ControllerPollInterval = TimeSpan.FromMilliseconds(200),
        };
        options.ConfigureRouter?.Invoke(router);
        Router = await RouterHost.StartAsync(router, cancellationToken: cancellationToken).ConfigureAwait(false);

        if (options.StartLedger)
        {
            Ledger = await LedgerServer.StartAsync(Path.Combine(Root, "ledger"), "http://127.0.0.1:0", LedgerToken, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates an identity and enrolls it; its identity file is written under <see cref="Root"/>.</summary>
    public async Task<ZtTestIdentity> CreateIdentityAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var (id, jwt) = await Admin.CreateIdentityAsync(name, cancellationToken).ConfigureAwait(false);
        string file = Path.Combine(Root, "identities", name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await ZtContext.EnrollAsync(jwt, file, cancellationToken).ConfigureAwait(false);
        return new ZtTestIdentity(id, name, file);
    }

    /// <summary>
    /// Creates a service named <paramref name="name"/> with a suffix that keeps it unique on this network, an
    /// identity allowed to bind it and one allowed to dial it.
    /// </summary>
    public async Task<ZtTestService> CreateServiceAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string service = name + "-" + Guid.NewGuid().ToString("N")[..6];
        await Admin.CreateServiceAsync(service, cancellationToken).ConfigureAwait(false);
        var host = await CreateIdentityAsync(service + "-host", cancellationToken).ConfigureAwait(false);
        var client = await CreateIdentityAsync(service + "-client", cancellationToken).ConfigureAwait(false);
        await AllowBindAsync(host, service, cancellationToken).ConfigureAwait(false);
        await AllowDialAsync(client, service, cancellationToken).ConfigureAwait(false);
        return new ZtTestService(service, host, client);
    }

    /// <summary>Lets <paramref name="identity"/> dial <paramref name="service"/>.</summary>
    public Task AllowDialAsync(ZtTestIdentity identity, string service, CancellationToken cancellationToken = default) =>
        Admin.CreatePolicyAsync("Dial", identity.Name, service, cancellationToken);

    /// <summary>Lets <paramref name="identity"/> bind (host) <paramref name="service"/>.</summary>
    public Task AllowBindAsync(ZtTestIdentity identity, string service, CancellationToken cancellationToken = default) =>
        Admin.CreatePolicyAsync("Bind", identity.Name, service, cancellationToken);

    /// <summary>
    /// Deposits <paramref name="cents"/> into the wallet of <paramref name="account"/> (<c>org/name</c>; wallets
    /// belong to the org) and returns the new balance in cents.
    /// </summary>
    public async Task<long> FundAsync(string account, long cents, CancellationToken cancellationToken = default)
    {
        var store = RequireLedger().Store;
        await store.DepositAsync(LedgerAccounts.OrgOf(account), account, cents, notes: "test funds", cancellationToken: cancellationToken).ConfigureAwait(false);
        return await GetBalanceAsync(account, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The balance in cents of <paramref name="account"/>'s wallet.</summary>
    public async Task<long> GetBalanceAsync(string account, CancellationToken cancellationToken = default) =>
        (await RequireLedger().Store.GetBalanceAsync(LedgerAccounts.OrgOf(account), account, cancellationToken: cancellationToken).ConfigureAwait(false)).Balance;

    /// <summary>A free loopback TCP port (for parts that must be told their address before they start).</summary>
    public static int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private LedgerServer RequireLedger() =>
        Ledger ?? throw new InvalidOperationException("this network runs without a ledger (ZtTestNetworkOptions.StartLedger is off)");

    /// <summary>Stops the ledger, the router and the controller, and deletes <see cref="Root"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Ledger is not null) await Ledger.DisposeAsync().ConfigureAwait(false);
        if (Router is not null) await Router.DisposeAsync().ConfigureAwait(false);
        if (Controller is not null) await Controller.DisposeAsync().ConfigureAwait(false);
        Admin?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file; the temporary directory is left to the system.
        }
    }
}
