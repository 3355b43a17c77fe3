using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// A fabric of processes billed by a ledger process: <c>zt ledger serve</c> (an administration token and a metering
/// token scoped to <see cref="MeteredOrgs"/>), then <c>zt controller run --billing commerce</c> and <c>zt router run
/// --billing commerce</c>, both holding only the metering token. Prices are high enough that a few bytes cost cents:
/// a cent per byte sent, two per byte received.
/// </summary>
public sealed class BilledFabricFixture : IAsyncLifetime
{
    public const string AdminToken = "ledger-admin-token-for-tests";
    public const string MeteringToken = "ledger-metering-token-for-tests";

    /// <summary>One wallet (org) per test, so balances never mix; <c>outside</c> is deliberately not among them.</summary>
    public static readonly string[] MeteredOrgs = ["refusal", "metered", "claimer", "victim", "scoped", "zapcalls", "reported", "checkpoint", "direct"];

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

    private ZtChildProcess _ledger = null!;

    internal ProcessFabric Fabric { get; private set; } = null!;

    public Uri LedgerUrl { get; private set; } = null!;

    /// <summary>
    /// The name of the <paramref name="n"/>-th (0 or 1) service priced by the call alone (a cent per call, nothing for
    /// bytes or time), so what the ledger charges for it counts calls.
    /// </summary>
    public string PerCallService(int n) => $"per-call-{n}-{_suffix}";

    /// <summary>The ledger as its administrator (deposits).</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The ledger as controllers and routers see it.</summary>
    public HttpClient Metering { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        int port = FabricFixture.FreePort();
        LedgerUrl = new Uri($"http://127.0.0.1:{port}");
        string root = Directory.CreateTempSubdirectory("hanzo-zt-ledger-").FullName;
        _ledger = ZtChildProcess.Start(
            ["ledger", "serve", "--data-dir", root, "--urls", LedgerUrl.ToString().TrimEnd('/'), "--metering-orgs", string.Join(',', MeteredOrgs)],
            new Dictionary<string, string> { ["COMMERCE_SERVICE_TOKEN"] = AdminToken, ["LEDGER_METERING_TOKEN"] = MeteringToken });
        await _ledger.WaitForLineAsync("listening");
        Admin = Client(AdminToken);
        Metering = Client(MeteringToken);

        var settings = new ProcessFabricSettings();
        settings.ControllerArgs.AddRange(["--billing", "commerce"]);
        settings.ControllerEnvironment["COMMERCE_URL"] = LedgerUrl.ToString();
        settings.ControllerEnvironment["COMMERCE_SERVICE_TOKEN"] = MeteringToken;
        // No caching, so a deposit is seen by the next dial (the default caches answers for 5 s).
        settings.ControllerEnvironment["HanzoZt__Billing__BalanceCacheDuration"] = "00:00:00";
        settings.RouterArgs.AddRange(["--billing", "commerce"]);
        settings.RouterEnvironment["COMMERCE_URL"] = LedgerUrl.ToString();
        settings.RouterEnvironment["COMMERCE_SERVICE_TOKEN"] = MeteringToken;
        settings.RouterEnvironment["HanzoZt__Billing__Rates__Default__MicrosPerGBSent"] = "10000000000000";
        settings.RouterEnvironment["HanzoZt__Billing__Rates__Default__MicrosPerGBReceived"] = "20000000000000";
        settings.RouterEnvironment["HanzoZt__Billing__RetryMaxDelay"] = "00:00:01";
        for (int n = 0; n < 2; n++)
        {
            settings.RouterEnvironment[$"HanzoZt__Billing__Rates__Services__{PerCallService(n)}__MicrosPerCall"] = "10000";
        }

        Fabric = await ProcessFabric.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Fabric.DisposeAsync();
        Admin.Dispose();
        Metering.Dispose();
        await _ledger.DisposeAsync();
    }

    public async Task DepositAsync(string account, long cents)
    {
        using var response = await Admin.PostAsJsonAsync("/v1/billing/deposit", new { user = account, currency = "usd", amount = cents, notes = "test" });
        response.EnsureSuccessStatusCode();
    }

    public async Task<long> BalanceAsync(string account)
    {
        var body = await Admin.GetFromJsonAsync<JsonElement>($"/v1/billing/balance?user={Uri.EscapeDataString(account)}&currency=usd");
        return body.GetProperty("available").GetInt64();
    }

    /// <summary>The amounts (cents) of the usage entries charged to <paramref name="account"/>.</summary>
    public async Task<long[]> UsageAsync(string account)
    {
        var body = await Admin.GetFromJsonAsync<JsonElement>($"/v1/billing/usage?user={Uri.EscapeDataString(account)}&currency=usd");
        return [.. body.GetProperty("usage").EnumerateArray().Select(u => u.GetProperty("amount").GetInt64())];
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = LedgerUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
