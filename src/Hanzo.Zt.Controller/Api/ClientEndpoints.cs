using System.Text.Json.Serialization;
using Hanzo.Zt.Controller.Auth;
using Hanzo.Zt.Controller.Billing;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Policies;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hanzo.Zt.Controller.Api;

/// <summary>The client API, <c>/edge/client/v1</c>: authentication, the caller's identity, services, sessions, enrollment.</summary>
internal static class ClientEndpoints
{
    public const string Prefix = "/edge/client/v1";

    internal sealed record SessionBody(
        [property: JsonPropertyName("serviceId")] string? ServiceId,
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("serviceName")] string? ServiceName = null);

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);

        api.MapGet("/version", () => Envelope.Ok(new
        {
            version = typeof(ClientEndpoints).Assembly.GetName().Version?.ToString(3),
            runtimeVersion = Environment.Version.ToString(),
            apiVersions = new { edge = new { v1 = new { path = Prefix } }, management = new { v1 = new { path = ManagementEndpoints.Prefix } } },
        }));

        api.MapGet("/.well-known/est/cacerts", (ControllerState state) =>
            Results.Text(state.Ca.CertificatePem, "application/x-pem-file"));

        api.MapGet("/.well-known/jwks", (ControllerState state) =>
            Results.Text(state.Jwks.ToJson(), "application/json"));

        api.MapPost("/authenticate", async (HttpContext context, Authenticator authenticator, string? method) =>
        {
            var (session, identity, token) = await authenticator.AuthenticateAsync(context, method);
            return Envelope.Ok(Views.ApiSession(session, identity, token));
        });

        api.MapGet("/current-api-session", async (HttpContext context, ApiSessionResolver sessions) =>
        {
            var caller = await sessions.RequireAsync(context);
            return Envelope.Ok(Views.ApiSession(caller.ApiSession, caller.Identity));
        });

        api.MapDelete("/current-api-session", async (HttpContext context, ApiSessionResolver sessions, ControllerState state) =>
        {
            var caller = await sessions.RequireAsync(context);
            await SessionLifecycle.EndApiSessionAsync(state.Store, caller.ApiSession, context.RequestAborted);
            return Envelope.Empty();
        });

        api.MapPost("/current-api-session/certificates", EnrollmentEndpoints.ApiSessionCertificateAsync);

        api.MapGet("/current-identity", async (HttpContext context, ApiSessionResolver sessions) =>
            Envelope.Ok(Views.Identity((await sessions.RequireAsync(context)).Identity)));

        api.MapGet("/services", async (HttpContext context, ApiSessionResolver sessions, ControllerState state) =>
        {
            var caller = await sessions.RequireAsync(context);
            var query = RequestReader.ReadQuery(context.Request);
            var policies = await state.Store.ServicePolicies.ListAsync(context.RequestAborted);
            var visible = (await state.Store.Services.ListAsync(context.RequestAborted))
                .Where(s => Matches(query, s.Name))
                .Select(s => (Service: s, Permissions: PolicyEvaluator.Permissions(policies, caller.Identity, s)))
                .Where(x => x.Permissions.Count > 0)
                .ToList();
            return Envelope.List(
                visible.Skip(query.Offset).Take(query.Limit).Select(x => Views.Service(x.Service, x.Permissions)),
                query.Limit, query.Offset, visible.Count);
        });

        api.MapGet("/services/{id}", async (HttpContext context, string id, ApiSessionResolver sessions, ControllerState state) =>
        {
            var caller = await sessions.RequireAsync(context);
            var service = await state.Store.Services.GetAsync(id, context.RequestAborted);
            var permissions = service is null
                ? []
                : PolicyEvaluator.Permissions(await state.Store.ServicePolicies.ListAsync(context.RequestAborted), caller.Identity, service);
            // A service the caller has no policy for is reported exactly like one that does not exist.
            if (service is null || permissions.Count == 0) throw ApiException.NotFound("service", id);
            return Envelope.Ok(Views.Service(service, permissions));
        });

        api.MapPost("/sessions", CreateSessionAsync);

        api.MapGet("/sessions", async (HttpContext context, ApiSessionResolver sessions, ControllerState state) =>
        {
            var caller = await sessions.RequireAsync(context);
            var query = RequestReader.ReadQuery(context.Request);
            var mine = await state.Store.Sessions.ListByOwnerAsync(caller.ApiSession.Id, context.RequestAborted);
            return Envelope.List(mine.Skip(query.Offset).Take(query.Limit).Select(s => Views.Session(s, null, null, [])),
                query.Limit, query.Offset, mine.Count);
        });

        api.MapDelete("/sessions/{id}", async (HttpContext context, string id, ApiSessionResolver sessions, ControllerState state) =>
        {
            var caller = await sessions.RequireAsync(context);
            var session = await state.Store.Sessions.GetAsync(id, context.RequestAborted);
            if (session is null || (session.IdentityId != caller.Identity.Id && !caller.Identity.IsAdmin))
                throw ApiException.NotFound("session", id);
            await SessionLifecycle.EndSessionAsync(state.Store, session, context.RequestAborted);
            return Envelope.Empty();
        });

        api.MapPost("/enroll", EnrollmentEndpoints.EnrollAsync);

        api.MapGet("/revocations", RevocationFeed.ReadAsync);
    }

    internal static bool Matches(EntityQuery query, string name) => query switch
    {
        { NameEquals: { } n } => name == n,
        { NameContains: { } c } => name.Contains(c, StringComparison.OrdinalIgnoreCase),
        _ => true,
    };

    private static async Task<IResult> CreateSessionAsync(HttpContext context, ApiSessionResolver sessions, ControllerState state, TokenIssuer tokens)
    {
        var caller = await sessions.RequireAsync(context);
        var body = await RequestReader.ReadJsonAsync<SessionBody>(context);
        if (string.IsNullOrEmpty(body.ServiceId) && string.IsNullOrEmpty(body.ServiceName))
            throw ApiException.Invalid("serviceId (or serviceName) is required", "serviceId");
        var typeName = body.Type ?? SessionType.Dial.ToWireName();
        if (!SessionTypes.TryParse(typeName, out var type)) throw ApiException.Invalid($"type '{typeName}' is neither Dial nor Bind", "type");

        // By name too, so a caller without a policy learns which policy is missing rather than "not found".
        var service = (string.IsNullOrEmpty(body.ServiceId)
                ? await state.Store.Services.FindByNameAsync(body.ServiceName!, context.RequestAborted)
                : await state.Store.Services.GetAsync(body.ServiceId, context.RequestAborted))
            ?? throw ApiException.NotFound("service", body.ServiceId ?? body.ServiceName!);
        var policies = await state.Store.ServicePolicies.ListAsync(context.RequestAborted);
        if (!policies.Any(p => p.Type == type && PolicyEvaluator.Grants(p, caller.Identity, service)))
        {
            ControllerMetrics.Sessions.Add(1, new("type", typeName), new("outcome", "ACCESS_DENIED"));
            throw new ApiException(403, "ACCESS_DENIED",
                $"no {type} policy grants identity '{caller.Identity.Name}' access to service '{service.Name}'",
                new { identity = caller.Identity.Name, service = service.Name, type });
        }

        string? billingAccount = caller.Identity.BillingAccount;
        if (type == SessionType.Dial)
        {
            try
            {
                billingAccount = await DialBalanceCheck.EnsureAllowedAsync(state, caller.Identity, context.RequestAborted);
            }
            catch (ApiException e)
            {
                ControllerMetrics.Sessions.Add(1, new("type", typeName), new("outcome", e.Code));
                throw;
            }
        }

        var id = SecretTokens.NewId();
        var session = await state.Store.Sessions.CreateAsync(new SessionRecord
        {
            Id = id,
            Name = id,
            ApiSessionId = caller.ApiSession.Id,
            IdentityId = caller.Identity.Id,
            ServiceId = service.Id,
            Type = type,
            ExpiresAt = state.Now + state.Options.SessionTokenLifetime,
            BillingAccount = billingAccount,
        }, context.RequestAborted);
        var routers = (await state.Store.EdgeRouters.ListAsync(context.RequestAborted)).Where(r => r.IsVerified);
        ControllerMetrics.Sessions.Add(1, new("type", type), new("outcome", "ok"));
        return Envelope.Created(Views.Session(session, service, tokens.SessionToken(session, service), routers));
    }
}
