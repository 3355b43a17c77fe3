using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>
/// What the router needs from the controller, kept locally so the router works on while the controller is
/// down: the token signing keys and the revocations (identities, certificates, sessions), polled.
/// </summary>
internal sealed partial class ControllerFeed : IDisposable
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly RevocationSet _revoked = new();
    private SessionTokenVerifier? _verifier;
    private long _after;

    public ControllerFeed(X509Certificate2 ca, Uri controller, ILogger logger)
    {
        _http = ControllerHttp.Create(ca, controller);
        _logger = logger;
    }

    /// <summary>Raised with the keys (<c>TYPE:target</c>) of revocations that arrived in a poll.</summary>
    public event Action<IReadOnlyList<string>>? Revoked;

    /// <summary>Raised after every successful poll, so that what the router holds is checked again.</summary>
    public event Action? Checked;

    public SessionTokenVerifier Verifier => _verifier ?? throw new InvalidOperationException("the controller's signing keys are not loaded yet");

    public bool IsRevoked(string type, string target)
    {
        lock (_lock)
        {
            return _revoked.Contains(type + ":" + target);
        }
    }

    /// <summary>How many revocations are held (expired ones are pruned at every poll).</summary>
    public int RevocationCount
    {
        get
        {
            lock (_lock)
            {
                return _revoked.Count;
            }
        }
    }

    /// <summary>Fetches keys and revocations once; throws when the controller cannot be reached.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        string jwks = await _http.GetStringAsync("/edge/client/v1/.well-known/jwks", cancellationToken).ConfigureAwait(false);
        _verifier = new SessionTokenVerifier(JsonWebKeySet.Parse(jwks));

        // The cursor is the controller's revocation sequence, assigned in each revocation's commit: never skips one.
        string query = _after > 0 ? "?after=" + _after.ToString(CultureInfo.InvariantCulture) : "";
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/edge/client/v1/revocations" + query, cancellationToken).ConfigureAwait(false));
        var added = new List<string>();
        lock (_lock)
        {
            foreach (var item in document.RootElement.GetProperty("data").EnumerateArray())
            {
                string key = item.GetProperty("type").GetString() + ":" + item.GetProperty("target").GetString();
                DateTimeOffset? expires = item.TryGetProperty("expiresAt", out var e) && e.ValueKind == JsonValueKind.String ? e.GetDateTimeOffset() : null;
                if (_revoked.Add(key, expires))
                {
                    added.Add(key);
                }

                _after = Math.Max(_after, item.GetProperty("sequence").GetInt64());
            }

            _revoked.Prune(DateTimeOffset.UtcNow);
        }

        // Every poll re-checks what is held (binds and circuits), not only what the new entries name.
        Checked?.Invoke();
        if (added.Count > 0)
        {
            Revoked?.Invoke(added);
        }
    }

    /// <summary>Polls until canceled; a controller that is down is retried at the next tick.</summary>
    public async Task PollAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                Log.ControllerUnreachable(_logger, e.Message);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Debug, "controller not reachable, keeping the last keys and revocations: {Reason}")]
        public static partial void ControllerUnreachable(ILogger logger, string reason);
    }
}
