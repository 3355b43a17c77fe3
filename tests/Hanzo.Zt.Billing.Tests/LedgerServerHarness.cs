using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hanzo.Zt.Billing.Ledger.Http;

namespace Hanzo.Zt.Billing.Tests;

/// <summary>A ledger server on a free loopback port over a fresh data directory, and a client authorised to call it.</summary>
public sealed class LedgerServerHarness : IAsyncDisposable
{
    public const string Token = "test-service-token";

    private LedgerServerHarness(string dataDirectory, LedgerServer server)
    {
        DataDirectory = dataDirectory;
        Server = server;
        Client = NewClient(server.Address, Token);
    }

    public string DataDirectory { get; }

    public LedgerServer Server { get; private set; }

    public HttpClient Client { get; private set; }

    public static async Task<LedgerServerHarness> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "zt-ledger-" + Guid.NewGuid().ToString("N"));
        var server = await LedgerServer.StartAsync(dataDirectory, "http://127.0.0.1:0", Token);
        return new LedgerServerHarness(dataDirectory, server);
    }

    public static HttpClient NewClient(Uri address, string? token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task RestartAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Server = await LedgerServer.StartAsync(DataDirectory, "http://127.0.0.1:0", Token);
        Client = NewClient(Server.Address, Token);
    }

    public Task<HttpResponseMessage> DepositAsync(string user, long amount) =>
        Client.PostAsJsonAsync("/v1/billing/deposit", new { user, currency = "usd", amount, notes = "top-up" });

    public Task<HttpResponseMessage> PostUsageAsync(string user, long amount, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/usage")
        {
            Content = JsonContent.Create(new
            {
                user, currency = "usd", amount, provider = "zt", model = "echo", requestId, status = "success", clientIp = "127.0.0.1",
            }),
        };
        request.Headers.Add("X-Idempotency-Key", requestId);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<long> BalanceAsync(string user)
    {
        using var response = await Client.GetAsync($"/v1/billing/balance?user={Uri.EscapeDataString(user)}&currency=usd");
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync(response)).GetProperty("balance").GetInt64();
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
