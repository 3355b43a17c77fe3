using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Api;

/// <summary>Ending sessions: deleted session tokens are published as revocations until they would have expired.</summary>
internal static class SessionLifecycle
{
    public static async Task EndSessionAsync(ControllerState state, SessionRecord session, CancellationToken cancellationToken)
    {
        await state.Store.Sessions.DeleteAsync(session.Id, cancellationToken);
        await RevokeAsync(state, RevocationTypes.Session, session.Id, "session deleted", session.ExpiresAt, cancellationToken);
    }

    public static async Task EndApiSessionAsync(ControllerState state, ApiSessionRecord apiSession, CancellationToken cancellationToken)
    {
        foreach (var session in await state.Store.Sessions.ListByOwnerAsync(apiSession.Id, cancellationToken))
            await EndSessionAsync(state, session, cancellationToken);
        await state.Store.ApiSessions.DeleteAsync(apiSession.Id, cancellationToken);
    }

    public static async Task<RevocationRecord> RevokeAsync(ControllerState state, string type, string target, string? reason,
        DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var existing = await state.Store.Revocations.FindByLookupAsync(RevocationRecord.KeyFor(type, target), cancellationToken);
        if (existing is not null) return existing;
        var id = Auth.SecretTokens.NewId();
        try
        {
            return await state.Store.Revocations.CreateAsync(new RevocationRecord
            {
                Id = id, Name = id, Type = type, Target = target, Reason = reason, ExpiresAt = expiresAt,
            }, cancellationToken);
        }
        catch (StoreDuplicateException)
        {
            return (await state.Store.Revocations.FindByLookupAsync(RevocationRecord.KeyFor(type, target), cancellationToken))!;
        }
    }
}
