using System.Net;
using System.Security.Cryptography;
using Hanzo.Zt.Controller.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>A tiny identity provider: publishes a JWKS over HTTP on loopback and signs tokens with its keys.</summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _fetches;

    private JwksServer(WebApplication app) => _app = app;

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public List<JsonWebKey> Published { get; } = [];

    public string Url { get; private set; } = "";

    public string DiscoveryUrl => Url[..^"/jwks".Length] + "/.well-known/openid-configuration";

    public int Fetches => Volatile.Read(ref _fetches);

    public static async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new JwksServer(app);
        server.Published.Add(JsonWebKey.FromPublicKey(server.Rsa, "rsa-1"));
        server.Published.Add(JsonWebKey.FromPublicKey(server.Ec, "ec-1"));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref server._fetches);
            return Results.Text(new JsonWebKeySet { Keys = [.. server.Published] }.ToJson(), "application/json");
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new { issuer = "https://iam.example.test", jwks_uri = server.Url }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.TrimEnd('/') + "/jwks";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Rsa.Dispose();
        Ec.Dispose();
    }
}
