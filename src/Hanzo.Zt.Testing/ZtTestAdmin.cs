using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Testing;

/// <summary>The controller's management API (<c>/edge/management/v1</c>), signed in as the administrator.</summary>
public sealed class ZtTestAdmin : IDisposable
{
    private readonly HttpClient _http;

    private ZtTestAdmin(HttpClient http) => _http = http;

    internal static async Task<ZtTestAdmin> LoginAsync(Uri controller, X509Certificate2 ca, string password, CancellationToken cancellationToken)
    {
        var http = new HttpClient(ZtTls.ControllerHandler(ca)) { BaseAddress = controller };
        try
        {
            using var response = await http.PostAsJsonAsync("/edge/client/v1/authenticate?method=password", new { username = "admin", password }, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ZtAuthenticationException(ZtErrorCode.AuthFailed, $"the test controller refused the administrator's sign-in: {body}");
            }

            http.DefaultRequestHeaders.Add("zt-session", body.GetProperty("data").GetProperty("token").GetString());
            return new ZtTestAdmin(http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>POSTs <paramref name="body"/> to <c>/edge/management/v1/{path}</c> and returns the envelope's <c>data</c>.</summary>
    /// <exception cref="ZtException">The controller refused the request; the message carries its error.</exception>
    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync("/edge/management/v1/" + path, body, cancellationToken).ConfigureAwait(false);
        return await DataOfAsync(response, "POST " + path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GETs <c>/edge/management/v1/{path}</c> and returns the envelope's <c>data</c>.</summary>
    /// <exception cref="ZtException">The controller refused the request; the message carries its error.</exception>
    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync("/edge/management/v1/" + path, cancellationToken).ConfigureAwait(false);
        return await DataOfAsync(response, "GET " + path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an identity with a one-time enrollment token; returns its id and the token.</summary>
    public async Task<(string Id, string EnrollmentJwt)> CreateIdentityAsync(string name, CancellationToken cancellationToken = default)
    {
        var created = await PostAsync("identities", new { name, type = "Device", enrollment = new { ott = true } }, cancellationToken).ConfigureAwait(false);
        return (created.GetProperty("id").GetString()!, created.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!);
    }

    /// <summary>Creates a service; returns its id.</summary>
    public async Task<string> CreateServiceAsync(string name, CancellationToken cancellationToken = default) =>
        (await PostAsync("services", new { name }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString()!;

    /// <summary>Grants <paramref name="identity"/> (by name) <paramref name="type"/> (<c>Dial</c> or <c>Bind</c>) on <paramref name="service"/> (by name).</summary>
    public Task<JsonElement> CreatePolicyAsync(string type, string identity, string service, CancellationToken cancellationToken = default) =>
        PostAsync(
            "service-policies",
            new { name = $"{type}-{identity}-{service}-{Guid.NewGuid():N}"[..40], type, identityRoles = new[] { "@" + identity }, serviceRoles = new[] { "@" + service }, semantic = "AnyOf" },
            cancellationToken);

    /// <summary>Creates an edge router record listening at <paramref name="listen"/>; returns its enrollment token.</summary>
    public async Task<string> CreateRouterAsync(string name, Uri listen, CancellationToken cancellationToken = default)
    {
        var created = await PostAsync("edge-routers", new { name, hostname = listen.Host, supportedProtocols = new Dictionary<string, string> { ["tls"] = listen.ToString().TrimEnd('/') } }, cancellationToken).ConfigureAwait(false);
        var id = created.GetProperty("id").GetString()!;
        return (await GetAsync("edge-routers/" + id, cancellationToken).ConfigureAwait(false)).GetProperty("enrollmentJwt").GetString()!;
    }

    /// <summary>Revokes the identity with id <paramref name="id"/>: its sessions end and routers cut it off.</summary>
    public Task<JsonElement> RevokeIdentityAsync(string id, CancellationToken cancellationToken = default) =>
        PostAsync("revocations", new { type = "IDENTITY", target = id, reason = "test" }, cancellationToken);

    private static async Task<JsonElement> DataOfAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ZtConfigurationException($"the test controller refused {what} ({(int)response.StatusCode}): {json}");
        }

        return json.GetProperty("data");
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
