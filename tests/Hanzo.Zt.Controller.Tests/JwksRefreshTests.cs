using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>A clock the test can move forward.</summary>
internal sealed class MovableTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

public sealed class JwksRefreshFixture : IAsyncLifetime
{
    internal MovableTime Time { get; } = new();

    public ControllerFixture Controller { get; }

    public JwksServer Idp { get; private set; } = null!;

    public JwksRefreshFixture() => Controller = new(o =>
    {
        o.TimeProvider = Time;
        o.JwksRefreshInterval = TimeSpan.FromMinutes(5);
        o.DevelopmentMode = true; // the test identity provider serves plain http on loopback
    });

    public async Task InitializeAsync()
    {
        await Controller.InitializeAsync();
        Idp = await JwksServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Idp.DisposeAsync();
        await Controller.DisposeAsync();
    }
}

/// <summary>External signers' keys are refreshed: a key the identity provider withdraws stops working.</summary>
public class JwksRefreshTests(JwksRefreshFixture fixture) : IClassFixture<JwksRefreshFixture>
{
    [Fact]
    public async Task A_key_removed_from_the_jwks_stops_working_within_the_refresh_interval()
    {
        var issuer = "https://iam.example.test/" + Unique("org");
        var audience = Unique("app");
        await fixture.Controller.CreateAsync("external-jwt-signers", new { name = Unique("iam"), issuer, audience, jwksEndpoint = fixture.Idp.Url });
        var name = Unique("user");
        await fixture.Controller.CreateAsync("identities", new { name, type = "User", externalId = "ext-" + name });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Unique("leaked");
        var published = JsonWebKey.FromPublicKey(key, kid);
        lock (fixture.Idp.Published) fixture.Idp.Published.Add(published);
        string Token() => CompactJws.Create(new JsonObject
        {
            ["iss"] = issuer, ["aud"] = audience, ["sub"] = "ext-" + name,
            ["exp"] = fixture.Time.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds(),
        }, key, kid);
        Task<ApiResponse> LoginAsync() => fixture.Controller.CreateApi().SendAsync(HttpMethod.Post, "/edge/client/v1/authenticate?method=ext-jwt",
            configure: r => r.Headers.Authorization = new("Bearer", Token()));
        (await LoginAsync()).ShouldBeOk();

        lock (fixture.Idp.Published) fixture.Idp.Published.Remove(published);
        fixture.Time.Offset += TimeSpan.FromMinutes(5);

        var refused = await LoginAsync();
        refused.ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        refused.ErrorMessage.ShouldContain(kid);
    }
}
