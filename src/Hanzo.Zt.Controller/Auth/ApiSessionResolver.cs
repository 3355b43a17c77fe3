using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>Finds the API session a request's <c>zt-session</c> header names and checks it is still good.</summary>
internal sealed class ApiSessionResolver(ControllerState state)
{
    public const string HeaderName = "zt-session";

    public async Task<Caller> RequireAsync(HttpContext context)
    {
        var token = context.Request.Headers[HeaderName].ToString();
        if (token.Length is 0 or > 256) throw ApiException.Unauthorized();
        var hash = SecretTokens.Hash(token);
        var store = state.Store;
        var session = await store.ApiSessions.FindByLookupAsync(hash, context.RequestAborted);
        if (session is null || !SecretTokens.HashEquals(session.TokenHash, hash)) throw ApiException.Unauthorized();
        if (session.ExpiresAt <= state.Now)
        {
            await Api.SessionLifecycle.EndApiSessionAsync(state, session, context.RequestAborted);
            throw ApiException.Unauthorized("the API session expired; authenticate again");
        }
        var identity = await store.Identities.GetAsync(session.IdentityId, context.RequestAborted);
        if (identity is null)
        {
            await Api.SessionLifecycle.EndApiSessionAsync(state, session, context.RequestAborted);
            throw ApiException.Unauthorized("the identity of this API session no longer exists");
        }
        // The credential that made the session must still stand: revoked, disabled or removed ends it now.
        if (await CredentialRules.RecheckAsync(state, session, identity, context.RequestAborted) is { } refusal)
        {
            await Api.SessionLifecycle.EndApiSessionAsync(state, session, context.RequestAborted);
            throw ApiException.Unauthorized(refusal + "; authenticate again");
        }

        // Sliding expiry, written at most once per half lifetime to keep reads cheap.
        var lifetime = state.Options.ApiSessionLifetime;
        if (session.ExpiresAt - state.Now < lifetime / 2)
        {
            try
            {
                session = await store.ApiSessions.UpdateAsync(
                    session with { ExpiresAt = state.Now + lifetime, LastActivityAt = state.Now }, context.RequestAborted);
            }
            catch (StoreConflictException)
            {
                // A concurrent request refreshed it already.
            }
        }
        return new Caller(session, identity);
    }

    public async Task<Caller> RequireAdminAsync(HttpContext context)
    {
        var caller = await RequireAsync(context);
        if (!caller.Identity.IsAdmin)
            throw ApiException.Forbidden($"identity '{caller.Identity.Name}' is not an administrator; the management API needs one");
        return caller;
    }

    public static async Task<bool> IsRevokedAsync(IControllerStore store, string type, string target, CancellationToken cancellationToken) =>
        await store.Revocations.FindByLookupAsync(RevocationRecord.KeyFor(type, target), cancellationToken) is not null;
}
