using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>
/// What the router needs from the controller, kept locally so the router works on while the controller is
/// down: the token signing keys and the revocations (identities, certificates, sessions), polled. With several
/// controllers of a cluster, a poll that cannot reach the one in use goes to the next; the revocation cursor is the
/// cluster-wide feed position, so it carries over.
/// </summary>
internal sealed partial class ControllerFeed : IDisposable
{
    private readonly HttpClient[] _controllers;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly RevocationSet _revoked = new();
    private SessionTokenVerifier? _verifier;
    private long _after;
    private int _current;

    public ControllerFeed(X509Certificate2 ca, IReadOnlyList<Uri> controllers, ILogger logger)
    {
        _controllers = [.. controllers.Select(c => ControllerHttp.Create(ca, c))];
        _logger = logger;
    }

    /// <summary>The controller polled now.</summary>
    public Uri CurrentController => _controllers[_current].BaseAddress!;

    /// <summary>Raised with the keys (<c>TYPE:target</c>) of revocations that arrived in a poll.</summary>
    public event Action<IReadOnlyList<string>>? Revoked;

    /// <summary>Raised after every successful poll, so that what the router holds is checked again.</summary>
    public event Action? Checked;

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

    public SessionTokenVerifier Verifier => _verifier ?? throw new InvalidOperationException("the controller's signing keys are not loaded yet");

    public bool IsRevoked(string type, string target)
    {
        lock (_lock)
        {
            return _revoked.Contains(type + ":" + target);
        }
    }

    /// <summary>Fetches keys and revocations once, from the first controller that answers; throws when none does.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; ; i++)
        {
            var http = _controllers[_current];
            try
            {
                await RefreshFromAsync(http, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested && i + 1 < _controllers.Length)
            {
                _current = (_current + 1) % _controllers.Length;
                Log.FailedOver(_logger, http.BaseAddress!, _controllers[_current].BaseAddress!, e.Message);
            }
        }
    }

    /// <summary>Verifies session tokens with <paramref name="keys"/> from now on.</summary>
    internal void UseKeys(JsonWebKeySet keys) => _verifier = new SessionTokenVerifier(keys);

    /// <summary>Holds a revocation until <paramref name="expiresAt"/>; false when it was held already.</summary>
    internal bool Revoke(string type, string target, DateTimeOffset? expiresAt)
    {
        lock (_lock)
        {
            return _revoked.Add(type + ":" + target, expiresAt);
        }
    }

    private async Task RefreshFromAsync(HttpClient http, CancellationToken cancellationToken)
    {
        string jwks = await http.GetStringAsync("/edge/client/v1/.well-known/jwks", cancellationToken).ConfigureAwait(false);
        UseKeys(JsonWebKeySet.Parse(jwks));

        var added = new List<string>();
        int count;
        do
        {
            string query = "?after=" + _after.ToString(CultureInfo.InvariantCulture);
            using var document = JsonDocument.Parse(await http.GetStringAsync("/edge/client/v1/revocations" + query, cancellationToken).ConfigureAwait(false));
            var page = document.RootElement.GetProperty("data");
            count = page.GetArrayLength();
            int pageSize = document.RootElement.GetProperty("meta").GetProperty("pagination").GetProperty("limit").GetInt32();
            foreach (var item in page.EnumerateArray())
            {
                string type = item.GetProperty("type").GetString()!, target = item.GetProperty("target").GetString()!;
                DateTimeOffset? expires = item.TryGetProperty("expiresAt", out var e) && e.ValueKind == JsonValueKind.String ? e.GetDateTimeOffset() : null;
                if (Revoke(type, target, expires))
                {
                    added.Add(type + ":" + target);
                }

                _after = Math.Max(_after, item.GetProperty("sequence").GetInt64());
            }

            if (count < pageSize)
            {
                break;
            }
        }
        while (count > 0);

        lock (_lock)
        {
            // An entry whose subject (token, certificate) has expired anyway no longer matters.
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

    public void Dispose()
    {
        foreach (var http in _controllers)
        {
            http.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Debug, "controller not reachable, keeping the last keys and revocations: {Reason}")]
        public static partial void ControllerUnreachable(ILogger logger, string reason);

        [LoggerMessage(21, LogLevel.Warning, "controller {From} not reachable, moving to {To}: {Reason}")]
        public static partial void FailedOver(ILogger logger, Uri from, Uri to, string reason);
    }
}
