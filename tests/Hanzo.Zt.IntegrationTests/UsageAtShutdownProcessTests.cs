using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Billing.Ledger.Http;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Billing through a host wired only by <c>AddHanzoZt()</c> and configuration: the usage of a client stopped with
/// SIGTERM is recorded and delivered once, with its ZAP calls counted.
/// </summary>
public sealed class UsageAtShutdownProcessTests(ProcessFabricFixture fixture) : IClassFixture<ProcessFabricFixture>, IAsyncLifetime
{
    private const string Token = "ledger-token-usage";
    private readonly string _data = Directory.CreateTempSubdirectory("hanzo-zt-usage-").FullName;
    private LedgerServer _ledger = null!;
    private HttpClient _ledgerClient = null!;

    private ProcessFabric Fabric => fixture.Fabric;

    public async Task InitializeAsync()
    {
        _ledger = await LedgerServer.StartAsync(Path.Combine(_data, "ledger"), "http://127.0.0.1:0", Token);
        _ledgerClient = new HttpClient { BaseAddress = _ledger.Address };
        _ledgerClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        _ledgerClient.Dispose();
        await _ledger.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_SIGTERMed_client_delivers_its_usage_once_with_the_call_count()
    {
        var setup = await Fabric.CreateServiceAsync("greeter-billed");
        string org = "org" + Guid.NewGuid().ToString("N")[..6];
        string account = org + "/client";
        (await _ledgerClient.PostAsJsonAsync("/v1/billing/deposit", new { user = org, currency = "usd", amount = 1_000, notes = "top-up" })).EnsureSuccessStatusCode();
        var server = Fabric.StartGreeter(Settings("server", setup.Service, setup.HostIdentity, billed: false));
        await server.WaitForLineAsync("Serving IGreeter");

        // One cent per call and nothing else, so the debit is the call count.
        var client = Fabric.StartGreeter(Client(setup, account, calls: 5));
        await client.WaitForLineAsync("done 5");
        (await client.StopAsync()).ShouldBe(0, client.Transcript);
        long afterFirst = await BalanceAsync(org);
        int entriesAfterFirst = await UsageEntriesAsync(account);

        // Started again on the same outbox with nothing to do: a redelivery would show here.
        var again = Fabric.StartGreeter(Client(setup, account, calls: 0));
        await again.WaitForLineAsync("done 0");
        (await again.StopAsync()).ShouldBe(0, again.Transcript);

        afterFirst.ShouldBe(1_000 - 5);
        entriesAfterFirst.ShouldBe(1);
        (await BalanceAsync(org)).ShouldBe(afterFirst);
        (await UsageEntriesAsync(account)).ShouldBe(1);
    }

    private Dictionary<string, string> Client(ServiceSetup setup, string account, int calls)
    {
        var settings = Settings("client", setup.Service, setup.ClientIdentity, billed: true);
        settings["Calls"] = calls.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["HanzoZt__Billing__Account"] = account;
        settings["HanzoZt__Billing__OutboxPath"] = Path.Combine(_data, "outbox-" + account.Replace('/', '-') + ".db");
        settings["HanzoZt__Billing__Rates__Default__MicrosPerCall"] = "10000";
        settings["HanzoZt__Billing__Rates__Default__MicrosPerGBSent"] = "0";
        settings["HanzoZt__Billing__Rates__Default__MicrosPerGBReceived"] = "0";
        settings["HanzoZt__Billing__Rates__Default__MicrosPerSecond"] = "0";
        settings["COMMERCE_URL"] = _ledger.Address.ToString();
        settings["COMMERCE_SERVICE_TOKEN"] = Token;
        return settings;
    }

    private static Dictionary<string, string> Settings(string role, string service, string identityFile, bool billed) => new()
    {
        ["Role"] = role,
        ["Service"] = service,
        ["IntervalMs"] = "50",
        ["HanzoZt__IdentityFile"] = identityFile,
        ["HanzoZt__Billing__Enabled"] = billed ? "true" : "false",
        ["DOTNET_ENVIRONMENT"] = "Production",
    };

    private async Task<long> BalanceAsync(string user)
    {
        using var response = await _ledgerClient.GetAsync($"/v1/billing/balance?user={Uri.EscapeDataString(user)}&currency=usd");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("balance").GetInt64();
    }

    private async Task<int> UsageEntriesAsync(string user)
    {
        using var response = await _ledgerClient.GetAsync($"/v1/billing/usage?user={Uri.EscapeDataString(user)}&currency=usd");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32();
    }
}
