using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Controller.Tokens;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

public abstract class ClientApiTests(ControllerFixture fixture)
{
    [Fact]
    public async Task Version_is_public_and_enveloped()
    {
        var response = await fixture.Anonymous.GetAsync("/edge/client/v1/version");

        response.ShouldBeOk();
        response.Data.GetProperty("apiVersions").GetProperty("edge").GetProperty("v1").GetProperty("path").GetString().ShouldBe("/edge/client/v1");
    }

    [Fact]
    public async Task Ca_bundle_is_pem_and_is_the_root_the_tls_certificate_chains_to()
    {
        var response = await fixture.Anonymous.GetAsync("/edge/client/v1/.well-known/est/cacerts");

        response.Status.ShouldBe(HttpStatusCode.OK);
        response.Text.ShouldStartWith("-----BEGIN CERTIFICATE-----");
        using var ca = X509Certificate2.CreateFromPem(response.Text);
        ca.Thumbprint.ShouldBe(fixture.Host.CaCertificate.Thumbprint);
    }

    [Fact]
    public async Task Password_login_gives_an_api_session_that_names_the_identity()
    {
        var login = await fixture.Anonymous.PostAsync("/edge/client/v1/authenticate?method=password",
            new { username = "admin", password = ControllerFixture.AdminPassword });

        login.ShouldBeOk();
        login.Data.GetProperty("token").GetString()!.Length.ShouldBeGreaterThan(40);
        login.Data.GetProperty("identity").GetProperty("name").GetString().ShouldBe("admin");
        login.Data.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        foreach (var field in new[] { "id", "createdAt", "updatedAt", "tags" }) login.Data.TryGetProperty(field, out _).ShouldBeTrue(field);
    }

    [Fact]
    public async Task Current_identity_and_api_session_describe_the_caller_until_logout()
    {
        var (id, api) = await fixture.CreateUserAsync(Unique("alice"));

        var identity = await api.GetAsync("/edge/client/v1/current-identity");
        identity.ShouldBeOk();
        identity.Data.GetProperty("id").GetString().ShouldBe(id);
        identity.Text.ShouldNotContain("pbkdf2");
        (await api.GetAsync("/edge/client/v1/current-api-session")).Data.GetProperty("identity").GetProperty("id").GetString().ShouldBe(id);

        (await api.DeleteAsync("/edge/client/v1/current-api-session")).ShouldBeOk();
        (await api.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_INVALID_AUTH()
    {
        var login = await fixture.Anonymous.PostAsync("/edge/client/v1/authenticate?method=password", new { username = "admin", password = "nope-nope" });

        login.ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
    }

    [Fact]
    public async Task Unknown_auth_method_is_a_400()
    {
        (await fixture.Anonymous.PostAsync("/edge/client/v1/authenticate?method=kerberos", new { }))
            .ShouldBeError(HttpStatusCode.BadRequest, "INVALID_AUTH_METHOD");
    }

    [Fact]
    public async Task Requests_without_or_with_a_bogus_session_are_UNAUTHORIZED()
    {
        (await fixture.Anonymous.GetAsync("/edge/client/v1/services")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var bogus = fixture.CreateApi();
        bogus.Token = "not-a-session";
        (await bogus.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Management_api_is_forbidden_to_non_admins()
    {
        var (_, api) = await fixture.CreateUserAsync(Unique("bob"));

        var response = await api.GetAsync("/edge/management/v1/identities");

        response.ShouldBeError(HttpStatusCode.Forbidden, "FORBIDDEN");
        response.ErrorMessage.ShouldContain("not an administrator");
    }

    [Fact]
    public async Task Services_lists_only_services_a_policy_grants_with_filter_and_paging()
    {
        var attr = Unique("team");
        var (_, api) = await fixture.CreateUserAsync(Unique("carol"), attr);
        var visible = new[] { Unique("svc-a"), Unique("svc-b"), Unique("svc-c") };
        foreach (var name in visible) await fixture.CreateAsync("services", new { name, roleAttributes = new[] { attr } });
        var hidden = Unique("svc-hidden");
        await fixture.CreateAsync("services", new { name = hidden });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", semantic = "AnyOf", serviceRoles = new[] { "#" + attr }, identityRoles = new[] { "#" + attr } });

        var all = await api.GetAsync("/edge/client/v1/services?limit=100");
        all.ShouldBeOk();
        all.Names.ShouldBe(visible.Order(), ignoreOrder: false);
        all.Json.GetProperty("meta").GetProperty("pagination").GetProperty("totalCount").GetInt32().ShouldBe(3);
        all.Data[0].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(["Dial"]);

        var page = await api.GetAsync("/edge/client/v1/services?limit=1&offset=1");
        page.Names.ShouldBe([visible.Order().ElementAt(1)]);
        page.Json.GetProperty("meta").GetProperty("pagination").GetProperty("limit").GetInt32().ShouldBe(1);

        (await api.GetAsync($"/edge/client/v1/services?filter={Uri.EscapeDataString($"name=\"{visible[1]}\"")}")).Names.ShouldBe([visible[1]]);
        (await api.GetAsync($"/edge/client/v1/services?filter={Uri.EscapeDataString($"name contains \"{visible[2][^8..]}\"")}")).Names.ShouldBe([visible[2]]);
        (await api.GetAsync($"/edge/client/v1/services?filter={visible[0][^8..]}")).Names.ShouldBe([visible[0]]);
    }

    [Fact]
    public async Task A_service_without_a_policy_is_not_found_by_id()
    {
        var (_, api) = await fixture.CreateUserAsync(Unique("dave"));
        var id = await fixture.CreateAsync("services", new { name = Unique("secret") });

        (await api.GetAsync($"/edge/client/v1/services/{id}")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
        (await fixture.Admin.GetAsync($"/edge/client/v1/services/{id}")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Dial_session_token_verifies_offline_with_the_published_jwks()
    {
        var name = Unique("web");
        var (identityId, api) = await fixture.CreateUserAsync(name);
        var service = Unique("db");
        var serviceId = await fixture.CreateAsync("services", new { name = service });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", serviceRoles = new[] { "@" + serviceId }, identityRoles = new[] { "@" + identityId } });

        (await api.GetAsync($"/edge/client/v1/services/{serviceId}")).Data.GetProperty("name").GetString().ShouldBe(service);
        var session = await api.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Dial" });

        session.ShouldBeOk();
        session.Status.ShouldBe(HttpStatusCode.Created);
        session.Data.GetProperty("edgeRouters").ValueKind.ShouldBe(JsonValueKind.Array);
        var jwks = JsonWebKeySet.Parse((await fixture.Anonymous.GetAsync("/edge/client/v1/.well-known/jwks")).Text);
        var claims = new SessionTokenVerifier(jwks, fixture.Host.Url.GetLeftPart(UriPartial.Authority)).Verify(session.Data.GetProperty("token").GetString()!);
        claims.SessionId.ShouldBe(session.Data.GetProperty("id").GetString());
        claims.IdentityId.ShouldBe(identityId);
        claims.ServiceId.ShouldBe(serviceId);
        claims.ServiceName.ShouldBe(service);
        claims.IsDial.ShouldBeTrue();
        claims.ApiSessionId.ShouldBe((await api.GetAsync("/edge/client/v1/current-api-session")).Data.GetProperty("id").GetString());
        claims.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_refused_session_names_the_identity_the_service_and_the_missing_policy()
    {
        var name = Unique("web");
        var (identityId, api) = await fixture.CreateUserAsync(name);
        var service = Unique("db");
        var serviceId = await fixture.CreateAsync("services", new { name = service });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Bind", serviceRoles = new[] { "@" + serviceId }, identityRoles = new[] { "@" + identityId } });

        var dial = await api.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Dial" });
        dial.ShouldBeError(HttpStatusCode.Forbidden, "ACCESS_DENIED");
        dial.ErrorMessage.ShouldBe($"no Dial policy grants identity '{name}' access to service '{service}'");

        (await api.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Bind" })).ShouldBeOk();
        var other = await fixture.CreateAsync("services", new { name = Unique("other") });
        (await api.PostAsync("/edge/client/v1/sessions", new { serviceId = other, type = "Bind" })).ErrorMessage
            .ShouldContain("no Bind policy grants identity");
        (await api.PostAsync("/edge/client/v1/sessions", new { serviceId = "missing", type = "Dial" })).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
        (await api.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Teleport" })).ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
    }

    [Fact]
    public async Task Deleting_a_session_publishes_it_as_revoked()
    {
        var (identityId, api) = await fixture.CreateUserAsync(Unique("erin"));
        var serviceId = await fixture.CreateAsync("services", new { name = Unique("svc") });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", serviceRoles = new[] { "#all" }, identityRoles = new[] { "@" + identityId } });
        var session = await api.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Dial" });
        var sessionId = session.Data.GetProperty("id").GetString()!;
        (await api.GetAsync("/edge/client/v1/sessions")).Data.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ShouldContain(sessionId);

        (await api.DeleteAsync($"/edge/client/v1/sessions/{sessionId}")).ShouldBeOk();

        var revocations = await fixture.Anonymous.GetAsync("/edge/client/v1/revocations");
        revocations.ShouldBeOk();
        revocations.Data.EnumerateArray().ShouldContain(r => r.GetProperty("type").GetString() == "SESSION" && r.GetProperty("target").GetString() == sessionId);
        (await api.DeleteAsync($"/edge/client/v1/sessions/{sessionId}")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");

        var sequences = revocations.Data.EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()).ToList();
        sequences.ShouldBe(sequences.Order().Distinct());
        var after = await fixture.Anonymous.GetAsync($"/edge/client/v1/revocations?after={sequences[^1]}");
        after.Data.GetArrayLength().ShouldBe(0);
        (await fixture.Anonymous.GetAsync("/edge/client/v1/revocations?after=yesterday")).ShouldBeError(HttpStatusCode.BadRequest, "INVALID_PARAMETER");
    }
}
