using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Hosting;

namespace Hanzo.Zt.Controller.Policies;

/// <summary>
/// After a policy, service or identity changes, the sessions no policy grants any more end (and are published as
/// revocations, so routers drop their binds and circuits): a deleted Bind or Dial policy, or roles that no longer
/// match, take effect on what is already open, not only on what comes next.
/// </summary>
internal static class PolicyChanges
{
    public static async Task<int> EndUngrantedSessionsAsync(ControllerState state, CancellationToken cancellationToken)
    {
        var store = state.Store;
        var policies = await store.ServicePolicies.ListAsync(cancellationToken);
        var services = (await store.Services.ListAsync(cancellationToken)).ToDictionary(s => s.Id);
        var identities = (await store.Identities.ListAsync(cancellationToken)).ToDictionary(i => i.Id);
        var ended = 0;
        foreach (var session in await store.Sessions.ListAsync(cancellationToken))
        {
            var granted = services.TryGetValue(session.ServiceId, out var service) &&
                          identities.TryGetValue(session.IdentityId, out var identity) &&
                          policies.Any(p => p.Type == session.Type && PolicyEvaluator.Grants(p, identity, service));
            if (granted) continue;
            await SessionLifecycle.EndSessionAsync(state.Store, session, cancellationToken);
            ended++;
        }
        return ended;
    }
}
