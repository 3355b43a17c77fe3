using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>
/// Tells the controller where this router listens (<c>PUT /edge/router/v1/listeners</c>, authenticated by the
/// router's certificate), so its record needs no address and a record that names another address is corrected
/// and reported rather than silently sending clients elsewhere.
/// </summary>
internal static partial class ListenerAnnouncement
{
    /// <summary>
    /// Announces <paramref name="listener"/>; returns the address the record named before when it differed.
    /// Controllers sharing state are tried in turn until one answers. A failure is logged and the router starts
    /// anyway: the record's address, if any, still serves clients.
    /// </summary>
    public static async Task<string?> AnnounceAsync(RouterCredentials credentials, IReadOnlyList<Uri> controllers, Uri listener, ILogger logger, CancellationToken cancellationToken)
    {
        string address = $"tls://{listener.Authority}";
        if (listener.Host.Trim('[', ']') is "0.0.0.0" or "::")
        {
            Log.Wildcard(logger, address);
            return null;
        }

        for (int i = 0; i < controllers.Count; i++)
        {
            try
            {
                return await AnnounceToAsync(credentials, controllers[i], address, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested && i < controllers.Count - 1)
            {
                // That controller is down: the next one shares its state.
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException && !cancellationToken.IsCancellationRequested)
            {
                Log.Unreachable(logger, address, e.Message);
            }
        }

        return null;
    }

    private static async Task<string?> AnnounceToAsync(RouterCredentials credentials, Uri controller, string address, ILogger logger, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ZtTls.ControllerHandler(credentials.Ca, credentials.Certificate))
        {
            BaseAddress = controller,
            Timeout = TimeSpan.FromSeconds(15),
        };
        using var response = await http.PutAsJsonAsync("/edge/router/v1/listeners", new { listeners = new { tls = address } }, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            Log.Refused(logger, address, (int)response.StatusCode, ControllerHttp.ErrorMessage(body));
            return null;
        }

        using var document = JsonDocument.Parse(body);
        if (document.RootElement.GetProperty("data").TryGetProperty("previous", out var previous) &&
            previous.ValueKind == JsonValueKind.Object && previous.TryGetProperty("tls", out var old))
        {
            Log.Mismatch(logger, old.GetString() ?? "", address);
            return old.GetString();
        }

        Log.Announced(logger, address);
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(50, LogLevel.Warning, "the controller's record of this router named {Recorded}, but the router listens on {Listener}; the record now names the listener")]
        public static partial void Mismatch(ILogger logger, string recorded, string listener);

        [LoggerMessage(51, LogLevel.Information, "announced the listener {Listener} to the controller")]
        public static partial void Announced(ILogger logger, string listener);

        [LoggerMessage(52, LogLevel.Warning, "the controller refused the listener {Listener} ({Status}): {Reason}; clients use the address in the router's record")]
        public static partial void Refused(ILogger logger, string listener, int status, string reason);

        [LoggerMessage(53, LogLevel.Warning, "could not announce the listener {Listener} to the controller: {Reason}; clients use the address in the router's record")]
        public static partial void Unreachable(ILogger logger, string listener, string reason);

        [LoggerMessage(54, LogLevel.Warning, "the listener {Listener} is on every interface, so it is not announced; clients use the address in the router's record")]
        public static partial void Wildcard(ILogger logger, string listener);
    }
}
