using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Billing;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Pki;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Tokens;
using Hanzo.Zt.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>Primary authentication (cert, password, ext-jwt) that ends in a new API session.</summary>
internal sealed partial class Authenticator(ControllerState state, ExternalJwtValidator externalJwt, ILogger<Authenticator> logger)
{
    private const string IamBillingAccount = "iam.billingAccount";

    private readonly Lazy<string> _dummyHash = new(() => PasswordHasher.Hash(SecretTokens.NewToken(), state.Options.PasswordIterations));

    internal sealed record PasswordBody([property: JsonPropertyName("username")] string? Username, [property: JsonPropertyName("password")] string? Password);

    public async Task<(ApiSessionRecord Session, IdentityRecord Identity, string Token)> AuthenticateAsync(HttpContext context, string? method)
    {
        try
        {
            var result = await AuthenticateCoreAsync(context, method);
            ControllerMetrics.Authentications.Add(1, new("method", method), new("outcome", "ok"));
            return result;
        }
        catch (ApiException e)
        {
            ControllerMetrics.Authentications.Add(1, new("method", method), new("outcome", e.Code));
            throw;
        }
    }

    private async Task<(ApiSessionRecord Session, IdentityRecord Identity, string Token)> AuthenticateCoreAsync(HttpContext context, string? method)
    {
        var identity = method switch
        {
            "password" => await PasswordAsync(context),
            "cert" => await CertificateAsync(context),
            "ext-jwt" => await ExternalJwtAsync(context),
            _ => throw new ApiException(400, "INVALID_AUTH_METHOD", $"authentication method '{method}' is not supported; use cert, password or ext-jwt", new { field = "method" }),
        };
        if (await ApiSessionResolver.IsRevokedAsync(state.Store, RevocationTypes.Identity, identity.Id, context.RequestAborted))
            throw ApiException.InvalidAuth($"identity '{identity.Name}' is revoked");
        await CheckAuthPolicyAsync(context, identity, method!);
        identity = await AdoptIamBillingAccountAsync(context, identity);

        var token = SecretTokens.NewToken();
        var now = state.Now;
        var id = SecretTokens.NewId();
        var session = await state.Store.ApiSessions.CreateAsync(new ApiSessionRecord
        {
            Id = id,
            Name = id,
            TokenHash = SecretTokens.Hash(token),
            IdentityId = identity.Id,
            AuthMethod = method!,
            ExpiresAt = now + state.Options.ApiSessionLifetime,
            LastActivityAt = now,
        }, context.RequestAborted);
        LogAuthenticated(identity.Name, method!, session.Id, SecretMask.Mask(token));
        return (session, identity, token);
    }

    private async Task<IdentityRecord> PasswordAsync(HttpContext context)
    {
        var body = await RequestReader.ReadJsonAsync<PasswordBody>(context);
        if (string.IsNullOrEmpty(body.Username) || body.Password is null)
            throw ApiException.Invalid("username and password are required", "username");
        var identity = await state.Store.Identities.FindByNameAsync(body.Username, context.RequestAborted);
        // Unknown users cost a hash too, so response time does not tell which names exist.
        var verified = PasswordHasher.Verify(body.Password, identity?.PasswordHash ?? _dummyHash.Value);
        if (identity?.PasswordHash is null || !verified)
        {
            LogRefused(body.Username, "password");
            throw ApiException.InvalidAuth("the username or password is not valid");
        }
        return identity;
    }

    private async Task<IdentityRecord> CertificateAsync(HttpContext context)
    {
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted)
            ?? throw ApiException.InvalidAuth("no client certificate was presented; connect with the certificate issued at enrollment");
        if (!state.Ca.Validates(certificate, state.Now))
            throw ApiException.InvalidAuth("the client certificate does not chain to this controller's CA or is outside its validity period");
        var serial = CertificateAuthority.SerialOf(certificate);
        if (await ApiSessionResolver.IsRevokedAsync(state.Store, RevocationTypes.Certificate, serial, context.RequestAborted))
            throw ApiException.InvalidAuth($"the client certificate (serial {serial}) is revoked");
        var id = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var identity = await state.Store.Identities.GetAsync(id, context.RequestAborted);
        return identity ?? throw ApiException.InvalidAuth("the client certificate does not belong to an identity of this controller");
    }

    private async Task<IdentityRecord> ExternalJwtAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw ApiException.InvalidAuth("ext-jwt authentication needs an 'Authorization: Bearer <jwt>' header");
        ExternalJwtSignerRecord signer;
        string subject;
        System.Text.Json.JsonElement claims;
        try
        {
            (signer, subject, claims) = await externalJwt.ValidateAsync(header["Bearer ".Length..].Trim(), context.RequestAborted);
        }
        catch (JwtException e)
        {
            LogRefused("(external jwt)", e.Message);
            throw ApiException.InvalidAuth($"the JWT was refused: {e.Message}");
        }
        var identity = signer.UseExternalId
            ? await state.Store.Identities.FindByLookupAsync(subject, context.RequestAborted)
            : await state.Store.Identities.FindByNameAsync(subject, context.RequestAborted);
        if (identity is null && signer.ProvisionIdentities)
            identity = await IdentityProvisioner.ProvisionAsync(state, signer, subject, claims, context.RequestAborted);
        if (identity is null)
            throw ApiException.InvalidAuth($"no identity has {(signer.UseExternalId ? "external id" : "name")} '{subject}' (claim '{signer.ClaimsProperty}' of signer '{signer.Name}')");
        context.Items[nameof(ExternalJwtSignerRecord)] = signer;
        if (IamAccount.From(claims) is { } billingAccount) context.Items[IamBillingAccount] = billingAccount;
        return identity;
    }

    // The IAM account an accepted token is for pays for the identity's dials; only once the login passed every check.
    private async Task<IdentityRecord> AdoptIamBillingAccountAsync(HttpContext context, IdentityRecord identity) =>
        context.Items[IamBillingAccount] is string account && account != identity.BillingAccount
            ? await state.Store.Identities.UpdateAsync(identity with { BillingAccount = account }, context.RequestAborted)
            : identity;

    private async Task CheckAuthPolicyAsync(HttpContext context, IdentityRecord identity, string method)
    {
        var policyId = identity.AuthPolicyId ?? AuthPolicyRecord.DefaultId;
        var policy = await state.Store.AuthPolicies.GetAsync(policyId, context.RequestAborted);
        if (policy is null) return;
        var allowed = method switch
        {
            "cert" => policy.AllowCert,
            "password" => policy.AllowPassword,
            _ => policy.AllowExtJwt,
        };
        if (!allowed) throw ApiException.InvalidAuth($"auth policy '{policy.Name}' does not allow {method} authentication for identity '{identity.Name}'");
        if (policy.AllowedSigners.Count > 0 && context.Items[nameof(ExternalJwtSignerRecord)] is ExternalJwtSignerRecord signer &&
            !policy.AllowedSigners.Contains(signer.Id))
        {
            throw ApiException.InvalidAuth($"auth policy '{policy.Name}' does not allow signer '{signer.Name}'");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "identity '{Identity}' authenticated with {Method}; API session {SessionId} (token {MaskedToken})")]
    private partial void LogAuthenticated(string identity, string method, string sessionId, string maskedToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "authentication refused for '{Who}': {Reason}")]
    private partial void LogRefused(string who, string reason);
}
