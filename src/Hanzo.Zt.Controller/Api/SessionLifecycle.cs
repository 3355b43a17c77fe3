using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Api;

/// <summary>Ending sessions: deleted session tokens are published as revocations until they would have expired.</summary>
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
