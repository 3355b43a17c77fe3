using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Cli.Admin;

/// <summary>
/// The controller's management API as the logged-in user: the CA trusted at login is the only one accepted, and
/// every refusal becomes a <see cref="ZtControllerException"/> carrying the controller's own message.
/// </summary>
internal sealed class ManagementClient : IDisposable
{
    private const string Prefix = "/edge/management/v1/";
    private readonly HttpClient _http;
    private readonly LoginState _login;

    public ManagementClient(LoginState login)
    {
        _login = login;
        _http = new HttpClient(ZtTls.ControllerHandler(X509Certificate2.CreateFromPem(login.CaPem)))
        {
            BaseAddress = new Uri(login.ControllerUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Add("zt-session", login.Token);
    }

    public static ManagementClient FromStoredLogin() => new(LoginState.Require());

    public async Task<JsonElement> CreateAsync(string collection, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(Prefix + collection, body, cancellationToken);
        return (await ReadAsync(response, $"create in {collection}", cancellationToken)).GetProperty("data").Clone();
    }

    public async Task<JsonElement> GetAsync(string collection, string id, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(Prefix + collection + "/" + Uri.EscapeDataString(id), cancellationToken);
        return (await ReadAsync(response, $"read {collection}/{id}", cancellationToken)).GetProperty("data").Clone();
    }

    /// <summary>A page of <paramref name="collection"/>, with the total count the controller reports.</summary>
    public async Task<(IReadOnlyList<JsonElement> Items, int Total)> ListAsync(string collection, string? filter, int limit, CancellationToken cancellationToken)
    {
        string query = $"?limit={limit}" + (filter is null ? "" : "&filter=" + Uri.EscapeDataString(filter));
        using var response = await _http.GetAsync(Prefix + collection + query, cancellationToken);
        var document = await ReadAsync(response, $"list {collection}", cancellationToken);
        var items = document.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList();
        int total = document.GetProperty("meta").GetProperty("pagination").GetProperty("totalCount").GetInt32();
        return (items, total);
    }

    /// <summary>The entity named (exactly) <paramref name="nameOrId"/>, else the one with that id.</summary>
    public async Task<JsonElement> FindAsync(string collection, string kind, string nameOrId, CancellationToken cancellationToken)
    {
        var (byName, _) = await ListAsync(collection, $"name=\"{nameOrId.Replace("\"", "", StringComparison.Ordinal)}\"", 2, cancellationToken);
        if (byName.Count == 1)
        {
            return byName[0];
        }

        using var response = await _http.GetAsync(Prefix + collection + "/" + Uri.EscapeDataString(nameOrId), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ZtControllerException($"no {kind} is named or has the id '{nameOrId}'", 404, "NOT_FOUND");
        }

        return (await ReadAsync(response, $"read {collection}/{nameOrId}", cancellationToken)).GetProperty("data").Clone();
    }

    public async Task<JsonElement> UpdateAsync(string collection, string id, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PatchAsJsonAsync(Prefix + collection + "/" + Uri.EscapeDataString(id), body, cancellationToken);
        return (await ReadAsync(response, $"update {collection}/{id}", cancellationToken)).GetProperty("data").Clone();
    }

    /// <summary>The entity named exactly <paramref name="name"/>, or null.</summary>
    public async Task<JsonElement?> FindByNameAsync(string collection, string name, CancellationToken cancellationToken)
    {
        var (items, _) = await ListAsync(collection, $"name=\"{name.Replace("\"", "", StringComparison.Ordinal)}\"", 2, cancellationToken);
        return items.Count == 1 ? items[0] : null;
    }

    public async Task DeleteAsync(string collection, string id, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync(Prefix + collection + "/" + Uri.EscapeDataString(id), cancellationToken);
        await ReadAsync(response, $"delete {collection}/{id}", cancellationToken);
    }

    private async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw new ZtControllerException($"{_login.ControllerUrl} answered {what} with {(int)response.StatusCode} and a body that is not JSON", (int)response.StatusCode);
        }

        if (response.IsSuccessStatusCode)
        {
            return json;
        }

        var (code, message) = ControllerError.Of(json);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new ZtAuthenticationException(ZtErrorCode.NotAuthenticated,
                $"the controller refused the stored login ({message}); run `zt login {_login.ControllerUrl}` again");
        }

        throw new ZtControllerException($"{message} ({(int)response.StatusCode} {code})", (int)response.StatusCode, code);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Reads the controller's error envelope, <c>{error:{code, message}}</c>.</summary>
internal static class ControllerError
{
    public static (string Code, string Message) Of(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            ? (error.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "", error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "")
            : ("", json.ToString());
}
