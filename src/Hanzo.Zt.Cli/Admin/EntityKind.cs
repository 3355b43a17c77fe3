using System.Text.Json;

namespace Hanzo.Zt.Cli.Admin;

/// <summary>One kind of management entity the admin verbs work on: its collection and how a row of it is shown.</summary>
internal sealed record EntityKind(string Name, string Plural, string Collection, string[] Columns, Func<JsonElement, string[]> Row)
{
    public static readonly EntityKind Identity = new("identity", "identities", "identities",
        ["ID", "NAME", "TYPE", "ADMIN", "ATTRIBUTES"],
        e => [Text(e, "id"), Text(e, "name"), Text(e, "typeId"), Text(e, "isAdmin"), List(e, "roleAttributes")]);

    public static readonly EntityKind Service = new("service", "services", "services",
        ["ID", "NAME", "ATTRIBUTES", "ENCRYPTED"],
        e => [Text(e, "id"), Text(e, "name"), List(e, "roleAttributes"), Text(e, "encryptionRequired")]);

    public static readonly EntityKind ServicePolicy = new("service-policy", "service-policies", "service-policies",
        ["ID", "NAME", "TYPE", "SEMANTIC", "SERVICE ROLES", "IDENTITY ROLES"],
        e => [Text(e, "id"), Text(e, "name"), Text(e, "type"), Text(e, "semantic"), List(e, "serviceRoles"), List(e, "identityRoles")]);

    public static readonly EntityKind EdgeRouter = new("edge-router", "edge-routers", "edge-routers",
        ["ID", "NAME", "VERIFIED", "LISTENER", "ATTRIBUTES"],
        e => [Text(e, "id"), Text(e, "name"), Text(e, "isVerified"), Listener(e), List(e, "roleAttributes")]);

    public static readonly IReadOnlyList<EntityKind> All = [Identity, Service, ServicePolicy, EdgeRouter];

    private static string Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => v.ToString(),
        } : "";

    private static string List(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Array ? string.Join(',', v.EnumerateArray().Select(x => x.GetString())) : "";

    private static string Listener(JsonElement e) =>
        e.TryGetProperty("supportedProtocols", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("tls", out var tls) ? tls.GetString() ?? "" : "";
}
