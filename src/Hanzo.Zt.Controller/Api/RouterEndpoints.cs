using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Hanzo.Zt.Controller.Auth;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Pki;
using Hanzo.Zt.Controller.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Controller.Api;

/// <summary>
/// The router API, <c>/edge/router/v1</c>: calls an enrolled edge router makes about itself, authenticated by the
/// certificate it was enrolled with (mutual TLS). A router announces its listener here, so an administrator
/// creates a router record with a name alone.
/// </summary>
internal static partial class RouterEndpoints
{
    public const string Prefix = "/edge/router/v1";

    internal sealed record ListenersBody([property: JsonPropertyName("listeners")] Dictionary<string, string>? Listeners);

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);
        api.MapPut("/listeners", AnnounceAsync);
    }

    /// <summary>
    /// <c>PUT /listeners {listeners:{tls:"tls://host:port"}}</c>: records where the router listens. When the record
    /// named another address, the record takes the announced one (that is where clients can reach the router) and
    /// the change is logged as a warning and answered in <c>previous</c>.
    /// </summary>
    private static async Task<IResult> AnnounceAsync(HttpContext context, ControllerState state, ILoggerFactory loggers)
    {
        var router = await AuthenticateRouterAsync(context, state);
        var body = await RequestReader.ReadJsonAsync<ListenersBody>(context);
        if (body.Listeners is not { Count: > 0 } listeners)
            throw ApiException.Invalid("listeners is required, e.g. {\"listeners\":{\"tls\":\"tls://host:3022\"}}", "listeners");
        foreach (var (protocol, address) in listeners)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != protocol || uri.Port <= 0)
                throw ApiException.Invalid($"listener '{address}' is not a {protocol}://host:port address", "listeners");
            if (uri.Host.Trim('[', ']') is "0.0.0.0" or "::" or "*" or "+")
                throw ApiException.Invalid($"listener '{address}' names every interface; announce an address clients can reach", "listeners");
        }

        var logger = loggers.CreateLogger("Hanzo.Zt.Controller.Routers");
        Dictionary<string, string> previous = [];
        for (var attempt = 0; ; attempt++)
        {
            var current = await state.Store.EdgeRouters.GetAsync(router.Id, context.RequestAborted) ?? throw ApiException.NotFound("edge router", router.Id);
            previous = listeners.Keys
                .Where(p => current.SupportedProtocols.TryGetValue(p, out var old) && !SameAddress(old, listeners[p]))
                .ToDictionary(p => p, p => current.SupportedProtocols[p]);
            var protocols = new Dictionary<string, string>(current.SupportedProtocols);
            foreach (var (protocol, address) in listeners) protocols[protocol] = address.TrimEnd('/');
            var hostname = string.IsNullOrEmpty(current.Hostname) ? new Uri(listeners.Values.First()).Host : current.Hostname;
            if (hostname == current.Hostname && protocols.Count == current.SupportedProtocols.Count &&
                protocols.All(p => current.SupportedProtocols.TryGetValue(p.Key, out var v) && v == p.Value))
            {
                router = current;
                break;
            }
            try
            {
                router = await state.Store.EdgeRouters.UpdateAsync(current with { SupportedProtocols = protocols, Hostname = hostname }, context.RequestAborted);
                break;
            }
            catch (StoreConflictException) when (attempt < 3)
            {
                // Changed meanwhile (e.g. by an administrator): apply the announcement to the fresh record.
            }
        }

        foreach (var (protocol, old) in previous)
            LogMismatch(logger, router.Name, router.Id, old, listeners[protocol]);
        LogAnnounced(logger, router.Name, string.Join(", ", listeners.Values));
        return Envelope.Ok(new
        {
            id = router.Id,
            name = router.Name,
            hostname = router.Hostname,
            supportedProtocols = router.SupportedProtocols,
            previous = previous.Count == 0 ? null : previous,
        });
    }

    /// <summary>The router a request's client certificate was issued to, or 401.</summary>
    private static async Task<EdgeRouterRecord> AuthenticateRouterAsync(HttpContext context, ControllerState state)
    {
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted)
            ?? throw ApiException.InvalidAuth("no client certificate was presented; a router calls this API with the certificate it enrolled with");
        if (!state.Ca.Validates(certificate, state.Now))
            throw ApiException.InvalidAuth("the client certificate does not chain to this controller's CA or is outside its validity period");
        var serial = CertificateAuthority.SerialOf(certificate);
        if (await ApiSessionResolver.IsRevokedAsync(state.Store, RevocationTypes.Certificate, serial, context.RequestAborted))
            throw ApiException.InvalidAuth($"the client certificate (serial {serial}) is revoked");
        var id = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var router = await state.Store.EdgeRouters.GetAsync(id, context.RequestAborted);
        // The serial must be one issued to this router: an identity's certificate never names a router.
        if (router is null || !router.Certificates.Any(c => c.Serial == serial))
            throw ApiException.InvalidAuth("the client certificate was not issued to an edge router of this controller");
        return router;
    }

    private static bool SameAddress(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
            ? x.Scheme == y.Scheme && x.Port == y.Port && string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase)
            : string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "edge router '{Router}' ({Id}) listens on {Announced} but its record said {Recorded}; the record now names the listener")]
    private static partial void LogMismatch(ILogger logger, string router, string id, string recorded, string announced);

    [LoggerMessage(Level = LogLevel.Information, Message = "edge router '{Router}' announced its listener {Announced}")]
    private static partial void LogAnnounced(ILogger logger, string router, string announced);
}
