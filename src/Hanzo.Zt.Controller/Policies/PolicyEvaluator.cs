using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Policies;

/// <summary>
/// Service policy semantics. A role is <c>#all</c> (every entity), <c>#attribute</c> (entities carrying the
/// role attribute) or <c>@id</c> (the entity with that id; its name is accepted too). A policy selects an
/// entity when, under <c>AnyOf</c>, any of its roles matches it, or under <c>AllOf</c>, every role matches it;
/// a policy with no roles selects nothing. A policy grants its type (Dial or Bind) to each selected identity on
/// each selected service.
/// </summary>
internal static class PolicyEvaluator
{
    /// <summary>Whether <paramref name="roles"/> select an entity with this id, name and attributes.</summary>
    public static bool Selects(string semantic, IReadOnlyList<string> roles, string id, string name, IReadOnlyList<string> attributes)
    {
        if (roles.Count == 0) return false;
        bool Matches(string role) => role switch
        {
            "#all" => true,
            ['#', .. var attribute] => attributes.Contains(attribute, StringComparer.Ordinal),
            ['@', .. var reference] => reference == id || reference == name,
            _ => false,
        };
        return semantic == "AllOf" ? roles.All(Matches) : roles.Any(Matches);
    }

    /// <summary>Whether <paramref name="policy"/> grants <paramref name="identity"/> its type on <paramref name="service"/>.</summary>
    public static bool Grants(ServicePolicyRecord policy, IdentityRecord identity, ServiceRecord service) =>
        Selects(policy.Semantic, policy.IdentityRoles, identity.Id, identity.Name, identity.RoleAttributes) &&
        Selects(policy.Semantic, policy.ServiceRoles, service.Id, service.Name, service.RoleAttributes);

    /// <summary>The types (<c>Dial</c>, <c>Bind</c>) that some policy grants the identity on the service.</summary>
    public static IReadOnlyList<string> Permissions(IEnumerable<ServicePolicyRecord> policies, IdentityRecord identity, ServiceRecord service) =>
        policies.Where(p => Grants(p, identity, service)).Select(p => p.Type.ToWireName()).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList();
}
