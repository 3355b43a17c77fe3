using System.Text.Json;
using Hanzo.Zt.Controller.Auth;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hanzo.Zt.Controller.Api;

/// <summary>
/// The management API, <c>/edge/management/v1</c> (administrators only): identities, services, service
/// policies, edge routers, external JWT signers, auth policies and revocations.
/// </summary>
internal static class ManagementEndpoints
{
    public const string Prefix = "/edge/management/v1";

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);

        new CrudEndpoints<IdentityRecord, IdentityBody>
        {
            Path = "/identities",
            Kind = "identity",
            Repository = s => s.Identities,
            Build = BuildIdentity,
            View = async (i, state, ct) => Views.Identity(i, await PendingEnrollmentAsync(state, i.Id, ct)),
            AfterWrite = async (body, identity, state, ct) =>
            {
                if (body.Enrollment?.Ott == true) await IssueEnrollmentAsync(state, "ott", identity.Id, ct);
            },
            BeforeDelete = async (identity, state, ct) =>
            {
                if (identity.IsAdmin && !(await state.Store.Identities.ListAsync(ct)).Any(i => i.IsAdmin && i.Id != identity.Id))
                    throw ApiException.Invalid($"identity '{identity.Name}' is the last administrator and cannot be deleted", "id");
            },
            AfterDelete = async (identity, store, ct) =>
            {
                await store.Enrollments.DeleteByOwnerAsync(identity.Id, ct);
                foreach (var apiSession in await store.ApiSessions.ListByOwnerAsync(identity.Id, ct))
                    await SessionLifecycle.EndApiSessionAsync(store, apiSession, ct);
            },
        }.Map(api);

        new CrudEndpoints<ServiceRecord, ServiceBody>
        {
            Path = "/services",
            Kind = "service",
            Repository = s => s.Services,
            Build = (b, e, _) => (e ?? new ServiceRecord { Id = SecretTokens.NewId() }) with
            {
                Name = Validate.Name(b.Name, e?.Name),
                RoleAttributes = Validate.Attributes(b.RoleAttributes, e?.RoleAttributes ?? []),
                EncryptionRequired = b.EncryptionRequired ?? e?.EncryptionRequired ?? true,
                Tags = b.Tags ?? e?.Tags ?? new Dictionary<string, JsonElement>(),
            },
            View = (s, _, _) => Task.FromResult(Views.Service(s)),
        }.Map(api);

        new CrudEndpoints<ServicePolicyRecord, ServicePolicyBody>
        {
            Path = "/service-policies",
            Kind = "service policy",
            Repository = s => s.ServicePolicies,
            Build = (b, e, _) => (e ?? new ServicePolicyRecord { Id = SecretTokens.NewId() }) with
            {
                Name = Validate.Name(b.Name, e?.Name),
                Type = Validate.SessionType(b.Type, e?.Type),
                Semantic = Validate.OneOf(b.Semantic, e?.Semantic ?? "AllOf", "semantic", "AllOf", "AnyOf"),
                ServiceRoles = Validate.Roles(b.ServiceRoles, e?.ServiceRoles ?? [], "serviceRoles"),
                IdentityRoles = Validate.Roles(b.IdentityRoles, e?.IdentityRoles ?? [], "identityRoles"),
                Tags = b.Tags ?? e?.Tags ?? new Dictionary<string, JsonElement>(),
            },
            View = (p, _, _) => Task.FromResult(Views.ServicePolicy(p)),
        }.Map(api);

        new CrudEndpoints<EdgeRouterRecord, EdgeRouterBody>
        {
            Path = "/edge-routers",
            Kind = "edge router",
            Repository = s => s.EdgeRouters,
            Build = (b, e, _) => (e ?? new EdgeRouterRecord { Id = SecretTokens.NewId() }) with
            {
                Name = Validate.Name(b.Name, e?.Name),
                // Optional: an enrolled router announces its listener (RouterEndpoints), filling hostname and tls.
                Hostname = b.Hostname is null ? e?.Hostname ?? "" : Validate.Name(b.Hostname, null, "hostname"),
                SupportedProtocols = b.SupportedProtocols ?? e?.SupportedProtocols ?? new Dictionary<string, string>(),
                RoleAttributes = Validate.Attributes(b.RoleAttributes, e?.RoleAttributes ?? []),
                Tags = b.Tags ?? e?.Tags ?? new Dictionary<string, JsonElement>(),
            },
            View = async (r, state, ct) => Views.EdgeRouter(r, await PendingEnrollmentAsync(state, r.Id, ct)),
            AfterWrite = async (body, router, state, ct) =>
            {
                if (router.Version == 1 || body.ReEnroll == true)
                {
                    await state.Store.Enrollments.DeleteByOwnerAsync(router.Id, ct);
                    await IssueEnrollmentAsync(state, "erott", router.Id, ct);
                }
            },
            AfterDelete = (router, store, ct) => store.Enrollments.DeleteByOwnerAsync(router.Id, ct),
        }.Map(api);

        new CrudEndpoints<ExternalJwtSignerRecord, SignerBody>
        {
            Path = "/external-jwt-signers",
            Kind = "external JWT signer",
            Repository = s => s.ExternalJwtSigners,
            Build = BuildSigner,
            View = (s, _, _) => Task.FromResult(Views.Signer(s)),
        }.Map(api);

        new CrudEndpoints<AuthPolicyRecord, AuthPolicyBody>
        {
            Path = "/auth-policies",
            Kind = "auth policy",
            Repository = s => s.AuthPolicies,
            Build = (b, e, _) => (e ?? new AuthPolicyRecord { Id = SecretTokens.NewId() }) with
            {
                Name = Validate.Name(b.Name, e?.Name),
                AllowCert = b.Primary?.Cert?.Allowed ?? e?.AllowCert ?? true,
                AllowPassword = b.Primary?.Updb?.Allowed ?? e?.AllowPassword ?? true,
                AllowExtJwt = b.Primary?.ExtJwt?.Allowed ?? e?.AllowExtJwt ?? true,
                AllowedSigners = b.Primary?.ExtJwt?.AllowedSigners ?? e?.AllowedSigners ?? [],
                Tags = b.Tags ?? e?.Tags ?? new Dictionary<string, JsonElement>(),
            },
            View = (p, _, _) => Task.FromResult(Views.AuthPolicy(p)),
        }.Map(api);

        MapRevocations(api);
    }

    private static void MapRevocations(RouteGroupBuilder api)
    {
        api.MapGet("/revocations", async (HttpContext context, ApiSessionResolver sessions, ControllerState state) =>
        {
            await sessions.RequireAdminAsync(context);
            var query = RequestReader.ReadQuery(context.Request);
            var page = await state.Store.Revocations.QueryAsync(query with { NameEquals = null, NameContains = null }, context.RequestAborted);
            return Envelope.List(page.Items.Select(Views.Revocation), query.Limit, query.Offset, page.TotalCount);
        });

        api.MapPost("/revocations", async (HttpContext context, ApiSessionResolver sessions, ControllerState state) =>
        {
            await sessions.RequireAdminAsync(context);
            var body = await RequestReader.ReadJsonAsync<RevocationBody>(context);
            var type = Validate.OneOf(body.Type?.ToUpperInvariant(), "", "type", RevocationTypes.Identity, RevocationTypes.Certificate);
            var target = Validate.Name(body.Target, null, "target");
            if (type == RevocationTypes.Identity)
            {
                var identity = await state.Store.Identities.GetAsync(target, context.RequestAborted) ?? throw ApiException.NotFound("identity", target);
                // Revoking an identity ends its API sessions (and so their sessions) now.
                foreach (var apiSession in await state.Store.ApiSessions.ListByOwnerAsync(identity.Id, context.RequestAborted))
                    await SessionLifecycle.EndApiSessionAsync(state.Store, apiSession, context.RequestAborted);
            }
            else
            {
                target = target.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
                if (!target.All(Uri.IsHexDigit)) throw ApiException.Invalid("a certificate target is its serial number in hex", "target");
            }
            var revocation = await SessionLifecycle.RevokeAsync(state.Store, type, target, body.Reason, body.ExpiresAt, context.RequestAborted);
            return Envelope.Created(Views.Revocation(revocation));
        });

        api.MapDelete("/revocations/{id}", async (HttpContext context, string id, ApiSessionResolver sessions, ControllerState state) =>
        {
            await sessions.RequireAdminAsync(context);
            if (!await state.Store.Revocations.DeleteAsync(id, context.RequestAborted)) throw ApiException.NotFound("revocation", id);
            return Envelope.Empty();
        });
    }

    private static IdentityRecord BuildIdentity(IdentityBody b, IdentityRecord? e, ControllerState state)
    {
        if (b.AuthPolicyId is { Length: 0 }) throw ApiException.Invalid("authPolicyId must not be empty", "authPolicyId");
        if (b.Password is { Length: < 8 }) throw ApiException.Invalid("password must be at least 8 characters", "password");
        return (e ?? new IdentityRecord { Id = SecretTokens.NewId() }) with
        {
            Name = Validate.Name(b.Name, e?.Name),
            Type = Validate.OneOf(b.Type, e?.Type ?? "Default", "type", "User", "Device", "Service", "Router", "Default"),
            IsAdmin = b.IsAdmin ?? e?.IsAdmin ?? false,
            RoleAttributes = Validate.Attributes(b.RoleAttributes, e?.RoleAttributes ?? []),
            ExternalId = b.ExternalId is { Length: 0 } ? null : b.ExternalId ?? e?.ExternalId,
            AuthPolicyId = b.AuthPolicyId ?? e?.AuthPolicyId,
            PasswordHash = b.Password is null ? e?.PasswordHash : PasswordHasher.Hash(b.Password, state.Options.PasswordIterations),
            BillingAccount = b.BillingAccount is null ? e?.BillingAccount : Validate.BillingAccount(b.BillingAccount),
            Tags = b.Tags ?? e?.Tags ?? new Dictionary<string, JsonElement>(),
        };
    }

    private static ExternalJwtSignerRecord BuildSigner(SignerBody b, ExternalJwtSignerRecord? e, ControllerState state)
    {
        var signer = (e ?? new ExternalJwtSignerRecord { Id = SecretTokens.NewId() }) with
        {
            Name = Validate.Name(b.Name, e?.Name),
            Issuer = Validate.Name(b.Issuer, e?.Issuer, "issuer"),
            Audience = Validate.Name(b.Audience, e?.Audience, "audience"),
            JwksEndpoint = b.JwksEndpoint is null ? e?.JwksEndpoint : Validate.AbsoluteHttpUrl(b.JwksEndpoint is "" ? null : b.JwksEndpoint, "jwksEndpoint"),
            CertPem = b.CertPem is null ? e?.CertPem : b.CertPem is "" ? null : b.CertPem,
            ClaimsProperty = Validate.Name(b.ClaimsProperty, e?.ClaimsProperty ?? "sub", "claimsProperty"),
            UseExternalId = b.UseExternalId ?? e?.UseExternalId ?? false,
            Enabled = b.Enabled ?? e?.Enabled ?? true,
            ProvisionIdentities = b.ProvisionIdentities ?? e?.ProvisionIdentities ?? false,
            RoleAttributesClaim = b.RoleAttributesClaim is null ? e?.RoleAttributesClaim : b.RoleAttributesClaim is "" ? null : b.RoleAttributesClaim,
            Tags = b.Tags ?? e?.Tags ?? new Dictionary<string, JsonElement>(),
        };
        if (signer.ProvisionIdentities && !signer.UseExternalId)
            throw ApiException.Invalid("provisionIdentities needs useExternalId: a provisioned identity is found again by its external id", "provisionIdentities");
        if ((signer.JwksEndpoint is null) == (signer.CertPem is null))
            throw ApiException.Invalid("exactly one of jwksEndpoint and certPem is required", "jwksEndpoint");
        if (signer.CertPem is not null)
        {
            try
            {
                ExternalJwtValidator.PublicKeyFromPem(signer.CertPem).Dispose();
            }
            catch (JwtException ex)
            {
                throw ApiException.Invalid(ex.Message, "certPem");
            }
        }
        return signer;
    }

    private static async Task<EnrollmentRecord?> PendingEnrollmentAsync(ControllerState state, string subjectId, CancellationToken ct) =>
        (await state.Store.Enrollments.ListByOwnerAsync(subjectId, ct)).Where(x => x.ExpiresAt > state.Now).MaxBy(x => x.ExpiresAt);

    private static async Task IssueEnrollmentAsync(ControllerState state, string method, string subjectId, CancellationToken ct)
    {
        var token = SecretTokens.NewToken();
        var expiresAt = state.Now + state.Options.EnrollmentLifetime;
        var id = SecretTokens.NewId();
        var tokens = new TokenIssuer(state);
        await state.Store.Enrollments.CreateAsync(new EnrollmentRecord
        {
            Id = id,
            Name = id,
            Method = method,
            TokenHash = SecretTokens.Hash(token),
            Jwt = tokens.EnrollmentJwt(method, token, subjectId, expiresAt),
            SubjectId = subjectId,
            ExpiresAt = expiresAt,
        }, ct);
    }
}
