using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>The controller's management API, as an administrator.</summary>
internal sealed class AdminApi(HttpClient http) : IDisposable
{
    public const string Password = "admin-password-1";

    public static async Task<AdminApi> LoginAsync(Uri controller, System.Security.Cryptography.X509Certificates.X509Certificate2 ca)
    {
        var http = new HttpClient(ZtTls.ControllerHandler(ca))
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

    public Task<JsonElement> RevokeIdentityAsync(string id) => PostAsync("revocations", new { type = "IDENTITY", target = id, reason = "test" });

    public void Dispose() => http.Dispose();
}
