using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Tokens;
using Shouldly;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>The controller's management API, as an administrator.</summary>
internal sealed class AdminApi(HttpClient http) : IDisposable
{
    public const string Password = "admin-password-1";

    public static Task<AdminApi> LoginAsync(Uri controller, System.Security.Cryptography.X509Certificates.X509Certificate2 ca) =>
        LoginAsync(controller, ZtTls.ControllerHandler(ca));

    /// <summary>Signs in as the administrator through <paramref name="handler"/> (which must check the controller's CA).</summary>
    public static async Task<AdminApi> LoginAsync(Uri controller, HttpMessageHandler handler)
    {
        var http = new HttpClient(handler)
        {
            BaseAddress = controller,
        };
        using var response = await http.PostAsJsonAsync("/edge/client/v1/authenticate?method=password", new { username = "admin", password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("token").GetString()!;
        http.DefaultRequestHeaders.Add("zt-session", token);
        return new AdminApi(http);
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await http.PostAsJsonAsync("/edge/management/v1/" + path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.ShouldBeTrue($"POST {path}: {json}");
        return json.GetProperty("data");
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await http.GetAsync("/edge/management/v1/" + path);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {json}");
        return json.GetProperty("data");
    }

    public async Task<JsonElement> PatchAsync(string path, object body)
    {
        using var response = await http.PatchAsJsonAsync("/edge/management/v1/" + path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.ShouldBeTrue($"PATCH {path}: {json}");
        return json.GetProperty("data");
    }

    /// <summary>Sets the billing account (<c>org/name</c>) the controller charges an identity's dials to.</summary>
    public Task<JsonElement> SetBillingAccountAsync(string identityId, string account) =>
        PatchAsync("identities/" + identityId, new { billingAccount = account });

    /// <summary>Creates an identity with a one-time enrollment token; returns its id and the token.</summary>
    public async Task<(string Id, string Jwt)> CreateIdentityAsync(string name)
    {
        var created = await PostAsync("identities", new { name, type = "Device", enrollment = new { ott = true } });
        return (created.GetProperty("id").GetString()!, created.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!);
    }

    public async Task<string> CreateServiceAsync(string name) =>
        (await PostAsync("services", new { name })).GetProperty("id").GetString()!;

    public Task<JsonElement> CreatePolicyAsync(string type, string identity, string service) =>
        PostAsync("service-policies", new { name = $"{type}-{identity}-{service}-{Guid.NewGuid():N}"[..40], type, identityRoles = new[] { "@" + identity }, serviceRoles = new[] { "@" + service }, semantic = "AnyOf" });

    /// <summary>Creates a router record listening at <paramref name="listen"/>; returns its enrollment token.</summary>
    public async Task<string> CreateRouterAsync(string name, Uri listen)
    {
        var created = await PostAsync("edge-routers", new { name, hostname = listen.Host, supportedProtocols = new Dictionary<string, string> { ["tls"] = listen.ToString().TrimEnd('/') } });
        var id = created.GetProperty("id").GetString()!;
        return (await GetAsync("edge-routers/" + id)).GetProperty("enrollmentJwt").GetString()!;
    }

    /// <summary>Deletes an entity of the management API, e.g. <c>service-policies/{id}</c>.</summary>
    public async Task DeleteAsync(string path)
    {
        using var response = await http.DeleteAsync("/edge/management/v1/" + path);
        response.IsSuccessStatusCode.ShouldBeTrue($"DELETE {path}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Ends a session (any identity's: the caller is an administrator).</summary>
    public async Task DeleteSessionAsync(string sessionId)
    {
        using var response = await http.DeleteAsync("/edge/client/v1/sessions/" + sessionId);
        response.IsSuccessStatusCode.ShouldBeTrue($"DELETE session {sessionId}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The service policies whose identity roles name <paramref name="identity"/> (<c>@name</c>).</summary>
    public async Task<IReadOnlyList<string>> PolicyIdsOfAsync(string identity)
    {
        var policies = await GetAsync("service-policies?limit=500");
        return [.. policies.EnumerateArray()
            .Where(p => p.GetProperty("identityRoles").EnumerateArray().Any(r => r.GetString() == "@" + identity))
            .Select(p => p.GetProperty("id").GetString()!)];
    }

    public Task<JsonElement> RevokeIdentityAsync(string id) => PostAsync("revocations", new { type = "IDENTITY", target = id, reason = "test" });

    public void Dispose() => http.Dispose();
}
