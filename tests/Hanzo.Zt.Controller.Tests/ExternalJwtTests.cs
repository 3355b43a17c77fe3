using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Hanzo.Zt.Controller.Tokens;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

public class ExternalJwtFixture : IAsyncLifetime
{
    public ExternalJwtFixture() : this(postgreSql: false)
    {
    }

    protected ExternalJwtFixture(bool postgreSql) => Controller = new(o => o.JwksMinimumRefreshInterval = TimeSpan.Zero, postgreSql);

    public ControllerFixture Controller { get; }

    public JwksServer Idp { get; private set; } = null!;

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

public abstract class ExternalJwtTests(ExternalJwtFixture fixture)
{
    private ControllerFixture Controller => fixture.Controller;

    private sealed record Setup(string Issuer, string Audience, string SignerId, string IdentityName, string IdentityId);

    private async Task<Setup> CreateSignerAndIdentityAsync(bool useExternalId = false, string claimsProperty = "sub", string? certPem = null, string? jwksEndpoint = null)
    {
        var issuer = "https://iam.example.test/" + Unique("org");
        var audience = Unique("app");
        var signerId = await Controller.CreateAsync("external-jwt-signers", new
        {
            name = Unique("iam"), issuer, audience, claimsProperty, useExternalId,
            jwksEndpoint = certPem is null ? jwksEndpoint ?? fixture.Idp.Url : null, certPem,
        });
        var name = Unique("user");
        var identityId = await Controller.CreateAsync("identities", new { name, type = "User", externalId = "ext-" + name });
        return new Setup(issuer, audience, signerId, name, identityId);
    }

    private static JsonObject Claims(Setup s, string? subject = null, DateTimeOffset? exp = null, string? audience = null) => new()
    {
        ["iss"] = s.Issuer,
        ["aud"] = audience ?? s.Audience,
        ["sub"] = subject ?? s.IdentityName,
        ["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = (exp ?? DateTimeOffset.UtcNow.AddMinutes(5)).ToUnixTimeSeconds(),
    };

    private Task<ApiResponse> LoginAsync(string jwt, ZtApi? api = null) =>
        (api ?? Controller.CreateApi()).SendAsync(HttpMethod.Post, "/edge/client/v1/authenticate?method=ext-jwt",
            configure: r => r.Headers.Authorization = new("Bearer", jwt));

    [Theory]
    [InlineData("RS256", "rsa-1")]
    [InlineData("PS256", "rsa-1")]
    [InlineData("ES256", "ec-1")]
    public async Task A_valid_token_logs_in_the_identity_its_subject_names(string alg, string kid)
    {
        var s = await CreateSignerAndIdentityAsync();
        AsymmetricAlgorithm key = kid == "ec-1" ? fixture.Idp.Ec : fixture.Idp.Rsa;

        var login = await LoginAsync(CompactJws.Create(Claims(s), key, kid, algorithm: alg));

        login.ShouldBeOk();
        login.Data.GetProperty("identity").GetProperty("id").GetString().ShouldBe(s.IdentityId);
        login.Data.GetProperty("authMethod").GetString().ShouldBe("ext-jwt");
    }

    [Fact]
    public async Task An_iam_token_names_the_identitys_billing_account_by_its_owner_and_name()
    {
        var s = await CreateSignerAndIdentityAsync();
        var claims = Claims(s);
        claims["owner"] = "acme";
        claims["name"] = "alice";

        (await LoginAsync(CompactJws.Create(claims, fixture.Idp.Rsa, "rsa-1"))).ShouldBeOk();

        var identity = await Controller.Admin.GetAsync("/edge/management/v1/identities/" + s.IdentityId);
        identity.Data.GetProperty("billingAccount").GetString().ShouldBe("acme/alice");
    }

    [Fact]
    public async Task A_refused_iam_login_leaves_the_billing_account_as_it_was()
    {
        var s = await CreateSignerAndIdentityAsync();
        var policyId = await Controller.CreateAsync("auth-policies", new { name = Unique("no-jwt"), primary = new { extJwt = new { allowed = false } } });
        (await Controller.Admin.PatchAsync($"/edge/management/v1/identities/{s.IdentityId}", new { authPolicyId = policyId, billingAccount = "acme/kept" })).ShouldBeOk();
        var claims = Claims(s);
        claims["owner"] = "other";
        claims["name"] = "taker";

        (await LoginAsync(CompactJws.Create(claims, fixture.Idp.Rsa, "rsa-1"))).ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");

        var identity = await Controller.Admin.GetAsync("/edge/management/v1/identities/" + s.IdentityId);
        identity.Data.GetProperty("billingAccount").GetString().ShouldBe("acme/kept");
    }

    [Fact]
    public async Task The_identity_claim_is_configurable_and_may_match_external_ids()
    {
        var s = await CreateSignerAndIdentityAsync(useExternalId: true, claimsProperty: "email");
        var claims = Claims(s, subject: "nobody");
        claims["email"] = "ext-" + s.IdentityName;

        var login = await LoginAsync(CompactJws.Create(claims, fixture.Idp.Rsa, "rsa-1"));

        login.ShouldBeOk();
        login.Data.GetProperty("identity").GetProperty("id").GetString().ShouldBe(s.IdentityId);
    }

    [Fact]
    public async Task A_signer_endpoint_may_be_an_oidc_discovery_document()
    {
        var s = await CreateSignerAndIdentityAsync(jwksEndpoint: fixture.Idp.DiscoveryUrl);

        (await LoginAsync(CompactJws.Create(Claims(s), fixture.Idp.Ec, "ec-1"))).ShouldBeOk();
    }

    [Fact]
    public async Task A_signer_with_a_pem_certificate_verifies_without_jwks()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=iam", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var s = await CreateSignerAndIdentityAsync(certPem: cert.ExportCertificatePem());

        (await LoginAsync(CompactJws.Create(Claims(s), key, null))).ShouldBeOk();
        (await LoginAsync(CompactJws.Create(Claims(s), fixture.Idp.Ec, null))).ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
    }

    [Theory]
    [InlineData("expired", "expired")]
    [InlineData("audience", "audience")]
    [InlineData("forged", "does not verify")]
    [InlineData("none", "none")]
    [InlineData("HS256", "symmetric")]
    [InlineData("issuer", "no enabled external JWT signer")]
    [InlineData("unknown-user", "no identity has")]
    [InlineData("garbage", "compact JWS")]
    public async Task Bad_tokens_are_refused_with_INVALID_AUTH(string kind, string reason)
    {
        var s = await CreateSignerAndIdentityAsync();
        string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var jwt = kind switch
        {
            "expired" => CompactJws.Create(Claims(s, exp: DateTimeOffset.UtcNow.AddMinutes(-2)), fixture.Idp.Rsa, "rsa-1"),
            "audience" => CompactJws.Create(Claims(s, audience: "someone-else"), fixture.Idp.Rsa, "rsa-1"),
            "forged" => ForgedToken(s),
            "none" => Encode("""{"alg":"none","typ":"JWT"}""") + "." + Encode(Claims(s).ToJsonString()) + ".",
            "HS256" => HmacToken(s),
            "issuer" => CompactJws.Create(new JsonObject { ["iss"] = "https://evil.test", ["aud"] = s.Audience, ["sub"] = s.IdentityName, ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds() }, fixture.Idp.Rsa, "rsa-1"),
            "unknown-user" => CompactJws.Create(Claims(s, subject: "mallory"), fixture.Idp.Rsa, "rsa-1"),
            _ => "not.a.jwt.at-all",
        };

        var login = await LoginAsync(jwt);

        login.ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        login.ErrorMessage.ShouldContain(reason);
    }

    [Fact]
    public async Task Tokens_within_the_clock_skew_are_accepted()
    {
        var s = await CreateSignerAndIdentityAsync();

        (await LoginAsync(CompactJws.Create(Claims(s, exp: DateTimeOffset.UtcNow.AddSeconds(-10)), fixture.Idp.Rsa, "rsa-1"))).ShouldBeOk();
    }

    [Fact]
    public async Task An_unknown_key_id_refreshes_the_cached_jwks()
    {
        var s = await CreateSignerAndIdentityAsync();
        (await LoginAsync(CompactJws.Create(Claims(s), fixture.Idp.Rsa, "rsa-1"))).ShouldBeOk();
        using var rotated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Unique("rotated");
        lock (fixture.Idp.Published) fixture.Idp.Published.Add(JsonWebKey.FromPublicKey(rotated, kid));
        var before = fixture.Idp.Fetches;

        var login = await LoginAsync(CompactJws.Create(Claims(s), rotated, kid));

        login.ShouldBeOk();
        fixture.Idp.Fetches.ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task After_a_jwt_login_the_api_session_gets_a_short_lived_certificate_that_logs_in()
    {
        var s = await CreateSignerAndIdentityAsync();
        var api = Controller.CreateApi();
        api.Token = (await LoginAsync(CompactJws.Create(Claims(s), fixture.Idp.Rsa, "rsa-1"), api)).Data.GetProperty("token").GetString();
        var (key, csr) = Pem.EcCsr();

        var issued = await api.PostAsync("/edge/client/v1/current-api-session/certificates", new { csr });

        issued.ShouldBeOk();
        var certificate = Pem.WithKey(issued.Data.GetProperty("certificate").GetString()!, key);
        ZtApi.TrustedBy(Controller.Host.CaCertificate, certificate).ShouldBeTrue();
        certificate.NotAfter.ShouldBeLessThan(DateTime.Now.AddHours(2));
        var login = await Controller.CreateApi(certificate).PostAsync("/edge/client/v1/authenticate?method=cert");
        login.Data.GetProperty("identity").GetProperty("id").GetString().ShouldBe(s.IdentityId);
    }

    [Fact]
    public async Task An_auth_policy_can_forbid_jwt_logins()
    {
        var s = await CreateSignerAndIdentityAsync();
        var policyId = await Controller.CreateAsync("auth-policies", new { name = Unique("certs-only"), primary = new { extJwt = new { allowed = false }, updb = new { allowed = false } } });
        (await Controller.Admin.PatchAsync($"/edge/management/v1/identities/{s.IdentityId}", new { authPolicyId = policyId })).ShouldBeOk();

        var login = await LoginAsync(CompactJws.Create(Claims(s), fixture.Idp.Rsa, "rsa-1"));

        login.ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        login.ErrorMessage.ShouldContain("does not allow ext-jwt");
    }

    private string ForgedToken(Setup s)
    {
        using var other = RSA.Create(2048);
        return CompactJws.Create(Claims(s), other, "rsa-1");
    }

    private static string HmacToken(Setup s)
    {
        string Encode(byte[] b) => Base64Url.EncodeToString(b);
        var input = Encode(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT","kid":"rsa-1"}""")) + "." + Encode(Encoding.UTF8.GetBytes(Claims(s).ToJsonString()));
        return input + "." + Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), Encoding.ASCII.GetBytes(input)));
    }
}
