using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Events;
using Hanzo.Zt.Tokens;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// The SDK's view of the controller: an API session got with the identity's certificate and renewed or
/// recovered without the caller noticing (expired, or lost across a controller restart), services, and
/// Dial/Bind sessions, which are cached until shortly before they expire so dials go on while the
/// controller is away.
/// </summary>
internal sealed class ControllerClient : IDisposable
{
    private static readonly TimeSpan SessionMargin = TimeSpan.FromMinutes(1);
    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _controllers;
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private readonly Dictionary<(string Service, SessionType Type), FabricSession> _sessions = new();
    private int _current;
    private string? _token;
    private JsonWebKeySet? _keys;

    /// <summary>A client of the controllers of one cluster, tried in order: a request moves to the next when one cannot be reached.</summary>
    public ControllerClient(ZtIdentity identity, IReadOnlyList<Uri> controllers)
    {
        if (controllers.Count == 0)
        {
            throw new ZtConfigurationException($"identity '{identity.Name}' names no controller (ztAPI) and none was configured");
        }

        _controllers = controllers;
        var handler = ZtTls.ControllerHandler(identity.CertificateAuthorities[0], identity.Certificate);
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>The controller requests go to now.</summary>
    public Uri CurrentController => _controllers[Volatile.Read(ref _current) % _controllers.Count];

    /// <summary>The identity's name and id as the controller knows them, after authenticating.</summary>
    public (string Id, string Name)? Identity { get; private set; }

    public event Action<ZtEvent>? Event;

    public async Task AuthenticateAsync(CancellationToken cancellationToken)
    {
        await _authLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await SendRawAsync(HttpMethod.Post, "/edge/client/v1/authenticate?method=cert", new { }, token: null, cancellationToken).ConfigureAwait(false);
            var data = await ReadDataAsync(response, "authenticate", cancellationToken).ConfigureAwait(false);
            _token = data.GetProperty("token").GetString();
            var identity = data.GetProperty("identity");
            Identity = (identity.GetProperty("id").GetString()!, identity.GetProperty("name").GetString()!);
            DateTimeOffset? expires = data.TryGetProperty("expiresAt", out var e) && e.ValueKind == JsonValueKind.String ? e.GetDateTimeOffset() : null;
            Event?.Invoke(new AuthenticatedEvent(DateTimeOffset.UtcNow, Identity.Value.Name, expires));
        }
        finally
        {
            _authLock.Release();
        }
    }

    public async Task<IReadOnlyList<ZtService>> GetServicesAsync(CancellationToken cancellationToken)
    {
        var data = await CallAsync(HttpMethod.Get, "/edge/client/v1/services?limit=500", null, "list services", cancellationToken).ConfigureAwait(false);
        return [.. data.EnumerateArray().Select(s => new ZtService(
            s.GetProperty("id").GetString()!,
            s.GetProperty("name").GetString()!,
            !s.TryGetProperty("encryptionRequired", out var enc) || enc.GetBoolean()))];
    }

    /// <summary>A Dial or Bind session for <paramref name="service"/>, from the cache while it has a minute left.</summary>
    public async Task<FabricSession> GetSessionAsync(string service, SessionType type, bool fresh, CancellationToken cancellationToken)
    {
        lock (_sessions)
        {
            if (!fresh && _sessions.TryGetValue((service, type), out var cached) && cached.ExpiresAt - DateTimeOffset.UtcNow > SessionMargin)
            {
                return cached;
            }
        }

        var match = (await GetServicesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Name == service);
        if (match is null)
        {
            // Not visible: asking by name makes the controller say which policy is missing (or that there is no such service).
            await CallAsync(HttpMethod.Post, "/edge/client/v1/sessions", new { serviceName = service, type = type.ToWireName() }, $"service '{service}'", cancellationToken).ConfigureAwait(false);
            throw new ZtServiceNotFoundException(service, $"service '{service}' is not visible to this identity");
        }

        var data = await CallAsync(HttpMethod.Post, "/edge/client/v1/sessions", new { serviceId = match.Id, type = type.ToWireName() }, $"{type.ToWireName().ToLowerInvariant()} '{service}'", cancellationToken).ConfigureAwait(false);
        var routers = data.GetProperty("edgeRouters").EnumerateArray()
            .Select(r => r.GetProperty("urls").TryGetProperty("tls", out var tls) ? tls.GetString() : null)
            .Where(u => u is not null)
            .Select(u => new Uri(u!))
            .ToList();
        var session = new FabricSession(data.GetProperty("id").GetString()!, match, data.GetProperty("token").GetString()!, routers, data.GetProperty("expiresAt").GetDateTimeOffset());
        lock (_sessions)
        {
            _sessions[(service, type)] = session;
        }

        return session;
    }

    /// <summary>The controller's token signing keys (cached after the first fetch).</summary>
    public async Task<SessionTokenVerifier> GetVerifierAsync(CancellationToken cancellationToken)
    {
        if (_keys is null)
        {
            using var response = await SendRawAsync(HttpMethod.Get, "/edge/client/v1/.well-known/jwks", null, token: null, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            _keys = JsonWebKeySet.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        return new SessionTokenVerifier(_keys);
    }

    private async Task<JsonElement> CallAsync(HttpMethod method, string path, object? body, string what, CancellationToken cancellationToken)
    {
        if (_token is null)
        {
            await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
        }

        for (int attempt = 0; ; attempt++)
        {
            using var response = await SendRawAsync(method, path, body, _token, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                // Expired, or forgotten by a restarted controller: get a new API session and try once more.
                await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            return await ReadDataAsync(response, what, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends to the current controller; when it cannot be reached (or does not answer in time) the same request goes to
    /// the next, and that one stays current. API sessions live in the cluster's shared store, so the token carries over;
    /// where it does not, the caller's 401 handling authenticates again.
    /// </summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, string? token, CancellationToken cancellationToken)
    {
        int first = Volatile.Read(ref _current);
        var failures = new List<string>();
        for (int i = 0; i < _controllers.Count; i++)
        {
            int index = (first + i) % _controllers.Count;
            var controller = _controllers[index];
            using var request = new HttpRequestMessage(method, new Uri(controller, path));
            if (token is not null)
            {
                request.Headers.Add("zt-session", token);
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            try
            {
                var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (index != first)
                {
                    Interlocked.CompareExchange(ref _current, index, first);
                    Event?.Invoke(new ControllerChangedEvent(DateTimeOffset.UtcNow, controller, string.Join("; ", failures)));
                }

                return response;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{controller.GetLeftPart(UriPartial.Authority)} cannot be reached: {e.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{controller.GetLeftPart(UriPartial.Authority)} did not answer in time");
            }
        }

        throw new ZtControllerException(_controllers.Count == 1
            ? $"the controller at {failures[0]}"
            : $"no controller of {_controllers.Count} answered: {string.Join("; ", failures)}");
    }

    private static async Task<JsonElement> ReadDataAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
        }

        string message = Enrollment.ErrorOf(text);
        throw response.StatusCode switch
        {
            HttpStatusCode.Forbidden => new ZtAccessDeniedException(message),
            HttpStatusCode.Unauthorized => new ZtAuthenticationException(ZtErrorCode.AuthFailed, $"{what}: {message}"),
            HttpStatusCode.NotFound => new ZtServiceNotFoundException(what, message),
            _ => new ZtControllerException($"{what} failed: {message}", (int)response.StatusCode),
        };
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A service visible to this identity.</summary>
/// <param name="Id">The controller's id of the service.</param>
/// <param name="Name">The service name.</param>
/// <param name="EncryptionRequired">Whether connections are encrypted end to end (always done when true).</param>
public sealed record ZtService(string Id, string Name, bool EncryptionRequired);

/// <summary>A Dial or Bind session: the signed token routers check, and the routers to use.</summary>
internal sealed record FabricSession(string Id, ZtService Service, string Token, IReadOnlyList<Uri> Routers, DateTimeOffset ExpiresAt);
