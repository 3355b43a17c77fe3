using System.Net;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>Bad input of every kind gets a 4xx envelope, never a 500.</summary>
public abstract class RobustnessTests(ControllerFixture fixture)
{
    [Theory]
    [InlineData("{bad")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"name\": 5}")]
    [InlineData("")]
    [InlineData("null")]
    public async Task Malformed_json_is_COULD_NOT_PARSE_BODY(string body)
    {
        var response = await fixture.Admin.SendAsync(HttpMethod.Post, "/edge/management/v1/services", rawBody: body);

        response.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_PARSE_BODY");
    }

    [Fact]
    public async Task Malformed_login_body_is_a_400()
    {
        (await fixture.Anonymous.SendAsync(HttpMethod.Post, "/edge/client/v1/authenticate?method=password", rawBody: "{\"username\":"))
            .ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_PARSE_BODY");
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        var huge = "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";

        // Expect: 100-continue lets the client hear the refusal before it streams the body, as careful clients do.
        var response = await fixture.Admin.SendAsync(HttpMethod.Post, "/edge/management/v1/services", rawBody: huge,
            configure: r => r.Headers.ExpectContinue = true);

        response.ShouldBeError(HttpStatusCode.RequestEntityTooLarge, "REQUEST_TOO_LARGE");
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE services;--")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("%_%")]
    public async Task Sql_looking_names_are_stored_and_found_as_plain_text(string text)
    {
        var name = text + Unique("");
        var id = await fixture.CreateAsync("services", new { name });

        (await fixture.Admin.GetAsync($"/edge/management/v1/services/{id}")).Data.GetProperty("name").GetString().ShouldBe(name);
        var list = await fixture.Admin.GetAsync("/edge/management/v1/services?limit=500");
        list.Names.ShouldContain(name);
        (await fixture.Admin.GetAsync($"/edge/management/v1/services/{Uri.EscapeDataString(text)}")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
        var byContains = await fixture.Admin.GetAsync($"/edge/management/v1/services?filter={Uri.EscapeDataString($"name contains \"{name[^8..]}\"")}");
        byContains.Names.ShouldBe([name]);
    }

    [Theory]
    [InlineData("filter=name%20~%20%22x%22", "INVALID_FILTER")]
    [InlineData("limit=0", "INVALID_PARAMETER")]
    [InlineData("limit=abc", "INVALID_PARAMETER")]
    [InlineData("offset=-1", "INVALID_PARAMETER")]
    public async Task Bad_list_parameters_are_400(string query, string code)
    {
        (await fixture.Admin.GetAsync($"/edge/management/v1/identities?{query}")).ShouldBeError(HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("service-policies", """{"name":"p1","type":"Teleport","serviceRoles":["#all"],"identityRoles":["#all"]}""", "type")]
    [InlineData("service-policies", """{"name":"p2","type":"Dial","serviceRoles":["all"],"identityRoles":["#all"]}""", "serviceRoles")]
    [InlineData("identities", """{"type":"User"}""", "name")]
    [InlineData("identities", """{"name":"x","roleAttributes":["#hash"]}""", "roleAttributes")]
    [InlineData("external-jwt-signers", """{"name":"s","issuer":"i","audience":"a"}""", "jwksEndpoint")]
    [InlineData("external-jwt-signers", """{"name":"s","issuer":"i","audience":"a","jwksEndpoint":"ftp://x"}""", "jwksEndpoint")]
    [InlineData("external-jwt-signers", """{"name":"s","issuer":"i","audience":"a","certPem":"nope"}""", "certPem")]
    public async Task Invalid_fields_are_COULD_NOT_VALIDATE_naming_the_field(string path, string body, string field)
    {
        var response = await fixture.Admin.SendAsync(HttpMethod.Post, "/edge/management/v1/" + path, rawBody: body);

        response.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
        response.Json.GetProperty("error").GetProperty("cause").GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task Duplicate_names_are_refused()
    {
        var name = Unique("dup");
        await fixture.CreateAsync("services", new { name });

        var again = await fixture.Admin.PostAsync("/edge/management/v1/services", new { name });

        again.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
        again.ErrorMessage.ShouldContain(name);
    }

    [Fact]
    public async Task Unknown_routes_and_ids_are_NOT_FOUND_envelopes()
    {
        (await fixture.Anonymous.GetAsync("/edge/client/v1/nothing-here")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
        (await fixture.Admin.GetAsync("/edge/management/v1/identities/nope")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
        (await fixture.Admin.DeleteAsync("/edge/management/v1/services/nope")).ShouldBeError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Enrollment_with_unknown_method_or_token_is_a_400()
    {
        (await fixture.Anonymous.PostAsync("/edge/client/v1/enroll?method=magic&token=x")).ShouldBeError(HttpStatusCode.BadRequest, "INVALID_ENROLLMENT_METHOD");
        (await fixture.Anonymous.SendAsync(HttpMethod.Post, "/edge/client/v1/enroll?method=ott&token=nope", rawBody: "x", contentType: "application/x-pem-file"))
            .ShouldBeError(HttpStatusCode.BadRequest, "INVALID_ENROLLMENT_TOKEN");
        (await fixture.Anonymous.PostAsync("/edge/client/v1/enroll?method=ott")).ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
    }
}
