using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
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
    private readonly ControllerTrust _trust;
    private readonly X509Certificate2? _certificate;
    private readonly ICredentialSource? _credentials;
    private readonly TimeSpan _requestTimeout;
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private readonly SemaphoreSlim _httpLock = new(1, 1);
    private readonly Dictionary<(string Service, SessionType Type), FabricSession> _sessions = new();
    private readonly IReadOnlyList<Uri> _controllers;
    private HttpClient? _http;
    private int _current;
    private string? _token;
    private JsonWebKeySet? _keys;

    /// <summary>
    /// A client that signs in with the identity's certificate (<c>cert</c>) to the controllers of one cluster, tried in
    /// order: a request moves to the next when one cannot be reached.
    /// </summary>
    public ControllerClient(IReadOnlyList<Uri> controllers, ControllerTrust trust, X509Certificate2 certificate, TimeSpan requestTimeout)
    {
        _controllers = Require(controllers);
        _trust = trust;
        _certificate = certificate;
        _requestTimeout = requestTimeout;
    }

    /// <summary>A client that signs in with a JWT from <paramref name="credentials"/> (<c>ext-jwt</c>).</summary>
    public ControllerClient(IReadOnlyList<Uri> controllers, ControllerTrust trust, ICredentialSource credentials, TimeSpan requestTimeout)
    {
        _controllers = Require(controllers);
        _trust = trust;
        _credentials = credentials;
        _requestTimeout = requestTimeout;
    }

    /// <summary>The controller requests go to now.</summary>
    public Uri Url => _controllers[Volatile.Read(ref _current) % _controllers.Count];

    /// <summary>Every controller of the cluster, in the order they are tried.</summary>
    public IReadOnlyList<Uri> Controllers => _controllers;

    private static IReadOnlyList<Uri> Require(IReadOnlyList<Uri> controllers) =>
        controllers.Count > 0 ? controllers : throw new ZtConfigurationException("no controller is configured: set HanzoZt:ControllerUrl (or ControllerUrls), or use an identity file that names one (ztAPI)");

    /// <summary>The identity's name and id as the controller knows them, after authenticating.</summary>
    public (string Id, string Name)? Identity { get; private set; }

    public event Action<ZtEvent>? Event;

    /// <summary>The controller's CA: every router and peer certificate must chain to it.</summary>
    public Task<X509Certificate2> GetCertificateAuthorityAsync(CancellationToken cancellationToken) => _trust.GetAsync(cancellationToken);

    public async Task AuthenticateAsync(CancellationToken cancellationToken)
    {
        await _authLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string? bearer = null;
            if (_credentials is not null)
            {
                var credentials = await _credentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
                bearer = credentials.Secret;
                if (bearer.Count(c => c == '.') != 2)
                {
                    throw new ZtAuthenticationException(ZtErrorCode.AuthFailed,
                        $"the credentials from {credentials.Source} ({credentials.MaskedSecret}) are not a JWT; signing in to the controller needs a Hanzo IAM token (or set HanzoZt:IdentityFile to an enrolled identity)");
                }
            }

            string method = bearer is null ? "cert" : "ext-jwt";
            using var response = await SendRawAsync(HttpMethod.Post, $"/edge/client/v1/authenticate?method={method}", new { }, token: null, cancellationToken, bearer).ConfigureAwait(false);
            var data = await ReadDataAsync(response, $"authenticate ({method})", cancellationToken).ConfigureAwait(false);
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

    /// <summary>Has the controller sign <paramref name="csrPem"/> for this API session: a short-lived client certificate.</summary>
    public async Task<(string CertificatePem, string CaPem, DateTimeOffset ExpiresAt)> IssueCertificateAsync(string csrPem, CancellationToken cancellationToken)
    {
        var data = await CallAsync(HttpMethod.Post, "/edge/client/v1/current-api-session/certificates", new { csr = csrPem }, "issue a certificate", cancellationToken).ConfigureAwait(false);
        return (data.GetProperty("certificate").GetString()!, data.GetProperty("cas").GetString()!, data.GetProperty("expiresAt").GetDateTimeOffset());
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
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, string? token, CancellationToken cancellationToken, string? bearer = null)
    {
        var http = await HttpAsync(cancellationToken).ConfigureAwait(false);
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

            if (bearer is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            try
            {
                var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
                failures.Add($"{controller.GetLeftPart(UriPartial.Authority)} did not answer within {_requestTimeout.TotalSeconds:0.#} s (HanzoZt:RequestTimeout)");
            }
        }

        throw new ZtControllerException(_controllers.Count == 1
            ? $"the controller at {failures[0]}"
            : $"no controller of {_controllers.Count} answered: {string.Join("; ", failures)}");
    }

    // Built on first use: the controller's CA may have to be fetched first.
    private async ValueTask<HttpClient> HttpAsync(CancellationToken cancellationToken)
    {
        if (_http is { } ready)
        {
            return ready;
        }

        await _httpLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_http is null)
            {
                var ca = await _trust.GetAsync(cancellationToken).ConfigureAwait(false);
                _http = new HttpClient(ZtTls.ControllerHandler(ca, _certificate)) { Timeout = _requestTimeout };
            }

            return _http;
        }
        finally
        {
            _httpLock.Release();
        }
    }

    /// <summary>The controller's balance refusal (402 <c>INSUFFICIENT_BALANCE</c>, naming the account and what it has), typed.</summary>
    private static ZtInsufficientBalanceException? InsufficientBalance(string text)
    {
        try
        {
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            if (error.GetProperty("code").GetString() != "INSUFFICIENT_BALANCE" || !error.TryGetProperty("cause", out var cause))
            {
                return null;
            }

            return new ZtInsufficientBalanceException(
                cause.GetProperty("account").GetString()!, cause.GetProperty("available").GetInt64(), cause.GetProperty("currency").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task<JsonElement> ReadDataAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
        }

        string message = Enrollment.ErrorOf(text);
        if (response.StatusCode == HttpStatusCode.PaymentRequired && InsufficientBalance(text) is { } refusal)
        {
            throw refusal;
        }

        throw response.StatusCode switch
        {
            HttpStatusCode.Forbidden => new ZtAccessDeniedException(message),
            HttpStatusCode.Unauthorized => new ZtAuthenticationException(ZtErrorCode.AuthFailed, $"{what}: {message}"),
            HttpStatusCode.NotFound => new ZtServiceNotFoundException(what, message),
            _ => new ZtControllerException($"{what} failed: {message}", (int)response.StatusCode),
        };
    }

    public void Dispose() => _http?.Dispose();
}

/// <summary>A service visible to this identity.</summary>
/// <param name="Id">The controller's id of the service.</param>
/// <param name="Name">The service name.</param>
/// <param name="EncryptionRequired">Whether connections are encrypted end to end (always done when true).</param>
public sealed record ZtService(string Id, string Name, bool EncryptionRequired);

/// <summary>A Dial or Bind session: the signed token routers check, and the routers to use.</summary>
internal sealed record FabricSession(string Id, ZtService Service, string Token, IReadOnlyList<Uri> Routers, DateTimeOffset ExpiresAt);
