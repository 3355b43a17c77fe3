using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Billing.Tests;

/// <summary>
/// A stand-in for Hanzo Commerce on a loopback port: balances and idempotent usage kept in memory, plus a
/// <see cref="Misbehave"/> hook that answers in its place (500s, hangs, malformed JSON, 409, 422…).
/// </summary>
public sealed class CommerceStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CommerceStub(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>When set, called first; returning true means it answered the request.</summary>
    public Func<HttpContext, Task<bool>>? Misbehave { get; set; }

    /// <summary>The available balance answered for every account.</summary>
    public long Available { get; set; } = 1_000;

    /// <summary>Whether balances are wrapped as <c>{data: …}</c>.</summary>
    public bool Envelope { get; set; }

    public ConcurrentDictionary<string, long> Charged { get; } = new();

    public ConcurrentQueue<(string Path, string? Authorization, string? Org, string? Test, string? IdempotencyKey, string Body)> Requests { get; } = new();

    public long TotalCharged => Charged.Values.Sum();

    public int CountRequests(string path) => Requests.Count(r => r.Path == path);

    public static async Task<CommerceStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new CommerceStub(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return stub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var headers = context.Request.Headers;
        Requests.Enqueue((context.Request.Path, headers.Authorization, headers["X-Org-Id"], headers["X-Hanzo-Test"], headers["X-Idempotency-Key"], body));
        if (Misbehave is { } misbehave && await misbehave(context)) return;

        switch (context.Request.Path.Value)
        {
            case "/v1/billing/balance":
                var balance = new { user = context.Request.Query["user"].ToString(), currency = "usd", balance = Available, holds = 0, available = Available };
                await context.Response.WriteAsJsonAsync<object>(Envelope ? new { data = balance } : balance);
                return;
            case "/v1/billing/tier":
                await context.Response.WriteAsJsonAsync(new { tier = "pro", balance = new { available = 0, effectiveAvailable = Available } });
                return;
            case "/v1/billing/usage":
                using (var json = JsonDocument.Parse(body))
                {
                    var requestId = json.RootElement.GetProperty("requestId").GetString()!;
                    var amount = json.RootElement.GetProperty("amount").GetInt64();
                    var first = Charged.TryAdd(requestId, amount);
                    context.Response.StatusCode = first ? 201 : 200;
                    await context.Response.WriteAsJsonAsync(new { transactionId = "tx-" + requestId, user = json.RootElement.GetProperty("user").GetString(), amount, currency = "usd", type = "usage" });
                }
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    /// <summary>Answers with an RFC 9457 problem document.</summary>
    public static async Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { type = "about:blank", title, detail, status }));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
