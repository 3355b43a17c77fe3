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
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);
    private SessionTokenVerifier? _verifier;
    private DateTimeOffset? _since;

    public ControllerFeed(X509Certificate2 ca, Uri controller, ILogger logger)
    {
        _http = ControllerHttp.Create(ca, controller);
        _logger = logger;
    }

    /// <summary>Raised with the keys (<c>TYPE:target</c>) of revocations that arrived in a poll.</summary>
    public event Action<IReadOnlyList<string>>? Revoked;

    public SessionTokenVerifier Verifier => _verifier ?? throw new InvalidOperationException("the controller's signing keys are not loaded yet");

    public bool IsRevoked(string type, string target)
    {
        lock (_lock)
        {
            return _revoked.Contains(type + ":" + target);
        }
    }

    /// <summary>Fetches keys and revocations once; throws when the controller cannot be reached.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        string jwks = await _http.GetStringAsync("/edge/client/v1/.well-known/jwks", cancellationToken).ConfigureAwait(false);
        _verifier = new SessionTokenVerifier(JsonWebKeySet.Parse(jwks));

        string query = _since is { } since ? "?since=" + Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture)) : "";
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/edge/client/v1/revocations" + query, cancellationToken).ConfigureAwait(false));
        var added = new List<string>();
        lock (_lock)
        {
            foreach (var item in document.RootElement.GetProperty("data").EnumerateArray())
            {
                string key = item.GetProperty("type").GetString() + ":" + item.GetProperty("target").GetString();
                if (_revoked.Add(key))
                {
                    added.Add(key);
                }

                var created = item.GetProperty("createdAt").GetDateTimeOffset();
                if (_since is null || created > _since)
                {
                    _since = created;
                }
            }
        }

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
