using System.Net;
using System.Text.Json;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

public abstract class ManagementApiTests(ControllerFixture fixture)
{
    [Theory]
    [InlineData("identities", """{"name":"N","type":"Device","roleAttributes":["a"]}""", """{"roleAttributes":["b"]}""", "roleAttributes")]
    [InlineData("services", """{"name":"N","roleAttributes":["a"]}""", """{"encryptionRequired":false}""", "encryptionRequired")]
    [InlineData("service-policies", """{"name":"N","type":"Dial","semantic":"AnyOf","serviceRoles":["#a"],"identityRoles":["#b"]}""", """{"type":"Bind"}""", "type")]
    [InlineData("edge-routers", """{"name":"N","hostname":"r.example.test"}""", """{"hostname":"r2.example.test"}""", "hostname")]
    [InlineData("external-jwt-signers", """{"name":"N","issuer":"I","audience":"A","jwksEndpoint":"https://iam.example.test/jwks"}""", """{"claimsProperty":"email"}""", "claimsProperty")]
    [InlineData("auth-policies", """{"name":"N","primary":{"cert":{"allowed":true}}}""", """{"primary":{"updb":{"allowed":false}}}""", "primary")]
    public async Task Each_entity_has_create_read_list_update_and_delete(string path, string create, string patch, string changed)
    {
        var name = Unique("e");
        var created = await fixture.Admin.SendAsync(HttpMethod.Post, "/edge/management/v1/" + path,
            rawBody: create.Replace("\"N\"", $"\"{name}\"").Replace("\"I\"", $"\"{Unique("iss")}\""));
        created.ShouldBeOk();
        created.Status.ShouldBe(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetString()!;
        foreach (var field in new[] { "id", "createdAt", "updatedAt", "tags" }) created.Data.TryGetProperty(field, out _).ShouldBeTrue(field);

        (await fixture.Admin.GetAsync($"/edge/management/v1/{path}?filter={Uri.EscapeDataString($"name=\"{name}\"")}")).Names.ShouldBe([name]);
        var before = (await fixture.Admin.GetAsync($"/edge/management/v1/{path}/{id}")).Data.GetProperty(changed).GetRawText();

        var updated = await fixture.Admin.SendAsync(HttpMethod.Patch, $"/edge/management/v1/{path}/{id}", rawBody: patch);
        updated.ShouldBeOk();
        updated.Data.GetProperty(changed).GetRawText().ShouldNotBe(before);
        updated.Data.GetProperty("name").GetString().ShouldBe(name);

        (await fixture.Admin.DeleteAsync($"/edge/management/v1/{path}/{id}")).ShouldBeOk();
        (await fixture.Admin.GetAsync($"/edge/management/v1/{path}/{id}")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_with_412()
    {
        var id = await fixture.CreateAsync("services", new { name = Unique("svc") });
        var read = await fixture.Admin.GetAsync($"/edge/management/v1/services/{id}");
        read.ETag.ShouldBe("\"1\"");
        (await fixture.Admin.PatchAsync($"/edge/management/v1/services/{id}", new { roleAttributes = new[] { "x" } })).ShouldBeOk();

        var stale = await fixture.Admin.SendAsync(HttpMethod.Patch, $"/edge/management/v1/services/{id}", body: new { roleAttributes = new[] { "y" } },
            configure: r => r.Headers.IfMatch.ParseAdd(read.ETag!));

        stale.ShouldBeError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        (await fixture.Admin.GetAsync($"/edge/management/v1/services/{id}")).Data.GetProperty("roleAttributes")[0].GetString().ShouldBe("x");
    }

    [Fact]
    public async Task Services_default_to_encryption_required_and_keep_tags()
    {
        var created = await fixture.Admin.PostAsync("/edge/management/v1/services", new { name = Unique("svc"), tags = new { owner = "ops", tier = 2 } });

        created.Data.GetProperty("encryptionRequired").GetBoolean().ShouldBeTrue();
        created.Data.GetProperty("tags").GetProperty("tier").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Identity_responses_never_contain_secrets()
    {
        var created = await fixture.Admin.PostAsync("/edge/management/v1/identities", new { name = Unique("u"), password = "a-long-password" });

        created.Text.ShouldNotContain("a-long-password");
        created.Text.ShouldNotContain("pbkdf2");
        created.Data.GetProperty("hasPassword").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Deleting_an_identity_ends_its_api_sessions()
    {
        var (id, api) = await fixture.CreateUserAsync(Unique("gone"));

        (await fixture.Admin.DeleteAsync($"/edge/management/v1/identities/{id}")).ShouldBeOk();

        (await api.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Revocations_can_be_listed_and_lifted()
    {
        var (id, _) = await fixture.CreateUserAsync(Unique("rev"));
        var revocation = await fixture.Admin.PostAsync("/edge/management/v1/revocations", new { type = "identity", target = id, reason = "test" });
        revocation.ShouldBeOk();
        var revocationId = revocation.Data.GetProperty("id").GetString()!;
        (await fixture.Admin.GetAsync("/edge/management/v1/revocations?limit=500")).Data.EnumerateArray()
            .ShouldContain(r => r.GetProperty("target").GetString() == id);
        await ZtApi.LoginAsync(fixture.CreateApi(), "admin", ControllerFixture.AdminPassword); // the admin is unaffected

        (await fixture.Admin.DeleteAsync($"/edge/management/v1/revocations/{revocationId}")).ShouldBeOk();

        (await fixture.CreateApi().PostAsync("/edge/client/v1/authenticate?method=password",
            new { username = (await fixture.Admin.GetAsync($"/edge/management/v1/identities/{id}")).Data.GetProperty("name").GetString(), password = "user-password-1" }))
            .ShouldBeOk();
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_deleted()
    {
        var adminId = (await fixture.Admin.GetAsync("/edge/client/v1/current-identity")).Data.GetProperty("id").GetString();
        // No test in this class creates another administrator.

        var response = await fixture.Admin.DeleteAsync($"/edge/management/v1/identities/{adminId}");

        response.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
        response.ErrorMessage.ShouldContain("last administrator");
    }

    [Fact]
    public async Task A_taken_external_id_is_refused_naming_the_field()
    {
        var externalId = Unique("ext");
        await fixture.CreateAsync("identities", new { name = Unique("u"), externalId });

        var again = await fixture.Admin.PostAsync("/edge/management/v1/identities", new { name = Unique("u"), externalId });

        again.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
        again.Json.GetProperty("error").GetProperty("cause").GetProperty("field").GetString().ShouldBe("externalId");
    }

    [Fact]
    public async Task Revoking_an_identity_that_no_longer_exists_is_recorded_not_NOT_FOUND()
    {
        // A deleted identity's certificates live on until they expire: its revocation must be accepted.
        (await fixture.Admin.PostAsync("/edge/management/v1/revocations", new { type = "IDENTITY", target = "nobody" })).ShouldBeOk();
    }

    [Fact]
    public async Task A_plain_http_jwks_endpoint_is_refused_outside_development_mode()
    {
        var signer = await fixture.Admin.PostAsync("/edge/management/v1/external-jwt-signers",
            new { name = Unique("iam"), issuer = "https://iam.example.test/" + Unique("o"), audience = "a", jwksEndpoint = "http://iam.example.test/jwks" });

        signer.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
        signer.ErrorMessage.ShouldContain("development mode");
    }

    [Fact]
    public async Task Pending_enrollment_jwt_can_be_fetched_again_by_the_admin()
    {
        var created = await fixture.Admin.PostAsync("/edge/management/v1/identities", new { name = Unique("dev"), enrollment = new { ott = true } });
        var id = created.Data.GetProperty("id").GetString()!;

        var read = await fixture.Admin.GetAsync($"/edge/management/v1/identities/{id}");

        // Derived again on each read (the store keeps only the secret's hash): the same one-time secret.
        CompactJws.Parse(read.Data.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!).GetClaim("jti")
            .ShouldBe(CompactJws.Parse(created.Data.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!).GetClaim("jti"));
        read.Data.GetProperty("enrollment").GetProperty("ott").GetProperty("expiresAt").ValueKind.ShouldBe(JsonValueKind.String);
    }
}
