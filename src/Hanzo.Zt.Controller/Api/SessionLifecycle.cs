using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Api;

/// <summary>
/// Ending credentials, and everything derived from them. A session ends with its API session; an API session ends
/// with the certificate, signer or password it authenticated with; a certificate obtained through an API session
/// ends with that API session. Every ended session token and certificate is published as a revocation (until it
/// would have expired) so that routers enforce the end too.
/// </summary>
internal static class SessionLifecycle
{
    public static Task EndSessionAsync(IControllerStore store, SessionRecord session, CancellationToken cancellationToken) =>
        store.InTransactionAsync(async (tx, ct) =>
        {
            await tx.Sessions.DeleteAsync(session.Id, ct);
            await RevokeAsync(tx, RevocationTypes.Session, session.Id, "session deleted", session.ExpiresAt, ct);
            return true;
        }, cancellationToken);

    /// <summary>Deletes the API session and its sessions, revoking their tokens, in one transaction.</summary>
    public static Task EndApiSessionAsync(IControllerStore store, ApiSessionRecord apiSession, CancellationToken cancellationToken) =>
        store.InTransactionAsync(async (tx, ct) =>
        {
            foreach (var session in await tx.Sessions.ListByOwnerAsync(apiSession.Id, ct))
                await EndSessionAsync(tx, session, ct);
            await tx.ApiSessions.DeleteAsync(apiSession.Id, ct);
            return true;
        }, cancellationToken);

    /// <summary>Ends an API session: its sessions, and the certificates it obtained (and so the API sessions made with those).</summary>
    public static async Task EndApiSessionAsync(ControllerState state, ApiSessionRecord apiSession, CancellationToken cancellationToken)
    {
        await EndApiSessionAsync(state.Store, apiSession, cancellationToken);
        var identity = await state.Store.Identities.GetAsync(apiSession.IdentityId, cancellationToken);
        foreach (var certificate in identity?.Certificates.Where(c => c.ApiSessionId == apiSession.Id) ?? [])
            await RevokeCertificateAsync(state, certificate.Serial, "the API session that obtained it ended", certificate.NotAfter, cancellationToken);
    }

    /// <summary>Revokes a certificate serial and ends every API session (and so every session) made with it.</summary>
    public static async Task<RevocationRecord> RevokeCertificateAsync(ControllerState state, string serial, string? reason,
        DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var revocation = await RevokeAsync(state.Store, RevocationTypes.Certificate, serial, reason, expiresAt, cancellationToken);
        await EndApiSessionsAsync(state, s => s.CertificateSerial == serial, cancellationToken);
        return revocation;
    }

    /// <summary>Revokes an identity (existing or deleted) and ends everything it holds.</summary>
    public static async Task<RevocationRecord> RevokeIdentityAsync(ControllerState state, string identityId, string? reason,
        DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        // Revoked first, so that no new API session can start while the existing ones are ended.
        var revocation = await RevokeAsync(state.Store, RevocationTypes.Identity, identityId, reason, expiresAt, cancellationToken);
        foreach (var apiSession in await state.Store.ApiSessions.ListByOwnerAsync(identityId, cancellationToken))
            await EndApiSessionAsync(state, apiSession, cancellationToken);
        return revocation;
    }

    /// <summary>Ends every API session that matches <paramref name="ends"/>; returns how many.</summary>
    public static async Task<int> EndApiSessionsAsync(ControllerState state, Func<ApiSessionRecord, bool> ends, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var apiSession in (await state.Store.ApiSessions.ListAsync(cancellationToken)).Where(ends))
        {
            await EndApiSessionAsync(state, apiSession, cancellationToken);
            count++;
        }
        return count;
    }

    /// <summary>Ends the API sessions among <paramref name="candidates"/> whose credential no longer stands (see <see cref="Auth.CredentialRules"/>).</summary>
    public static async Task<int> EndUnfitApiSessionsAsync(ControllerState state, IEnumerable<ApiSessionRecord> candidates, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var apiSession in candidates)
        {
            var identity = await state.Store.Identities.GetAsync(apiSession.IdentityId, cancellationToken);
            if (identity is not null && await Auth.CredentialRules.RecheckAsync(state, apiSession, identity, cancellationToken) is null) continue;
            await EndApiSessionAsync(state, apiSession, cancellationToken);
            count++;
        }
        return count;
    }

    public static async Task<RevocationRecord> RevokeAsync(IControllerStore store, string type, string target, string? reason,
        DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var existing = await store.Revocations.FindByLookupAsync(RevocationRecord.KeyFor(type, target), cancellationToken);
        if (existing is not null) return existing;
        var id = Auth.SecretTokens.NewId();
        try
        {
            return await store.Revocations.CreateAsync(new RevocationRecord
            {
                Id = id, Name = id, Type = type, Target = target, Reason = reason, ExpiresAt = expiresAt,
            }, cancellationToken);
        }
        catch (StoreDuplicateException)
        {
            return (await store.Revocations.FindByLookupAsync(RevocationRecord.KeyFor(type, target), cancellationToken))!;
        }
    }
}
