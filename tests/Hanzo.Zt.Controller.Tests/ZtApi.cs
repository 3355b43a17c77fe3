using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>A small client of the controller's REST API over real HTTPS, trusting only the controller's CA.</summary>
public sealed class ZtApi(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public string? Token { get; set; }

    public static ZtApi Create(ControllerHost host, X509Certificate2? clientCertificate = null)
    {
        var ca = host.CaCertificate;
        var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => TrustedBy(ca, certificate!),
        };
        if (clientCertificate is not null) handler.ClientCertificates.Add(clientCertificate);
        return new ZtApi(new HttpClient(handler) { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(30) });
    }

    public static bool TrustedBy(X509Certificate2 ca, X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public static async Task<ZtApi> LoginAsync(ZtApi api, string username, string password)
    {
        var response = await api.PostAsync("/edge/client/v1/authenticate?method=password", new { username, password });
        response.ShouldBeOk();
        api.Token = response.Data.GetProperty("token").GetString();
        return api;
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<ApiResponse> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiResponse> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body = null,
        string? rawBody = null, string? contentType = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (Token is not null) request.Headers.Add("zt-session", Token);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (rawBody is not null) request.Content = new StringContent(rawBody, Encoding.UTF8, contentType ?? "application/json");
        configure?.Invoke(request);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement json = default;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
            json = JsonDocument.Parse(text).RootElement.Clone();
        return new ApiResponse(response.StatusCode, json, text, response.Headers.ETag?.Tag);
    }
}

public sealed record ApiResponse(HttpStatusCode Status, JsonElement Json, string Text, string? ETag)
{
    public JsonElement Data => Json.GetProperty("data");

    public string ErrorCode => Json.GetProperty("error").GetProperty("code").GetString()!;

    public string ErrorMessage => Json.GetProperty("error").GetProperty("message").GetString()!;

    public IEnumerable<string> Names => Data.EnumerateArray().Select(e => e.GetProperty("name").GetString()!);

    public void ShouldBeOk()
    {
        ((int)Status).ShouldBeInRange(200, 299, Text);
        Json.TryGetProperty("data", out _).ShouldBeTrue(Text);
        Json.GetProperty("meta").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    public void ShouldBeError(HttpStatusCode status, string code)
    {
        Status.ShouldBe(status, Text);
        ErrorCode.ShouldBe(code, Text);
        Json.GetProperty("meta").ValueKind.ShouldBe(JsonValueKind.Object);
    }
}
