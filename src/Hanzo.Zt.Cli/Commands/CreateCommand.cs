using System.CommandLine;
using System.Text.Json;
using Hanzo.Zt.Cli.Admin;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt create identity|service|service-policy|edge-router</c>, as <c>ziti edge create</c>: one entity through the
/// management API of the controller <c>zt login</c> signed in to. Enrollment tokens go to <c>--jwt-output-file</c>.
/// </summary>
internal static class CreateCommand
{
    public static Command Create()
    {
        var command = new Command("create", "Create an identity, service, service policy or edge router (after `zt login`).");
        command.Subcommands.Add(Identity());
        command.Subcommands.Add(Service());
        command.Subcommands.Add(ServicePolicy());
        command.Subcommands.Add(EdgeRouter());
        return command;
    }

    private static Option<string[]> RoleAttributes() => new("--role-attributes", "-a")
    {
        Description = "Attributes that policies select with #attribute (comma-separated or repeated).",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Option<string?> JwtOutputFile(string what) => new("--jwt-output-file", "-o") { Description = $"Write the {what} enrollment token (JWT) to this file." };

    private static Option<bool> Json() => new("--json") { Description = "Print the created entity as JSON." };

    internal static string[] Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static Command Identity()
    {
        var name = new Argument<string>("name") { Description = "The identity's name." };
        var attributes = RoleAttributes();
        var jwtFile = JwtOutputFile("identity's");
        var admin = new Option<bool>("--admin") { Description = "May use the management API." };
        var externalId = new Option<string?>("--external-id") { Description = "The id an IAM token names it by (signers that use external ids)." };
        var json = Json();
        var command = new Command("identity", "Create an identity with a one-time enrollment token.") { name, attributes, jwtFile, admin, externalId, json };
        command.SetAction((parseResult, ct) => RunAsync(parseResult, EntityKind.Identity, parseResult.GetValue(json), parseResult.GetValue(jwtFile), new Dictionary<string, object?>
        {
            ["name"] = parseResult.GetValue(name),
            ["type"] = "Device",
            ["isAdmin"] = parseResult.GetValue(admin),
            ["roleAttributes"] = Split(parseResult.GetValue(attributes)),
            ["externalId"] = parseResult.GetValue(externalId),
            ["enrollment"] = new { ott = true },
        }, ct));
        return command;
    }

    private static Command Service()
    {
        var name = new Argument<string>("name") { Description = "The service's name." };
        var attributes = RoleAttributes();
        var json = Json();
        var command = new Command("service", "Create a service.") { name, attributes, json };
        command.SetAction((parseResult, ct) => RunAsync(parseResult, EntityKind.Service, parseResult.GetValue(json), null, new Dictionary<string, object?>
        {
            ["name"] = parseResult.GetValue(name),
            ["roleAttributes"] = Split(parseResult.GetValue(attributes)),
        }, ct));
        return command;
    }

    private static Command ServicePolicy()
    {
        var name = new Argument<string>("name") { Description = "The policy's name." };
        var type = new Argument<string>("type") { Description = "Dial or Bind." };
        type.AcceptOnlyFromAmong("Dial", "Bind");
        var services = new Option<string[]>("--service-roles", "-s") { Description = "Services: @name, @id, #attribute or #all.", AllowMultipleArgumentsPerToken = true, Required = true };
        var identities = new Option<string[]>("--identity-roles", "-i") { Description = "Identities: @name, @id, #attribute or #all.", AllowMultipleArgumentsPerToken = true, Required = true };
        var semantic = new Option<string>("--semantic") { Description = "AnyOf or AllOf.", DefaultValueFactory = _ => "AnyOf" };
        semantic.AcceptOnlyFromAmong("AnyOf", "AllOf");
        var json = Json();
        var command = new Command("service-policy", "Create a Dial or Bind policy between identities and services.") { name, type, services, identities, semantic, json };
        command.SetAction((parseResult, ct) => RunAsync(parseResult, EntityKind.ServicePolicy, parseResult.GetValue(json), null, new Dictionary<string, object?>
        {
            ["name"] = parseResult.GetValue(name),
            ["type"] = parseResult.GetValue(type),
            ["semantic"] = parseResult.GetValue(semantic),
            ["serviceRoles"] = Split(parseResult.GetValue(services)),
            ["identityRoles"] = Split(parseResult.GetValue(identities)),
        }, ct));
        return command;
    }

    private static Command EdgeRouter()
    {
        var name = new Argument<string>("name") { Description = "The router's name." };
        var attributes = RoleAttributes();
        var jwtFile = JwtOutputFile("router's");
        var json = Json();
        var command = new Command("edge-router", "Create an edge router record; the router announces its listener when it starts.") { name, attributes, jwtFile, json };
        command.SetAction((parseResult, ct) => RunAsync(parseResult, EntityKind.EdgeRouter, parseResult.GetValue(json), parseResult.GetValue(jwtFile), new Dictionary<string, object?>
        {
            ["name"] = parseResult.GetValue(name),
            ["roleAttributes"] = Split(parseResult.GetValue(attributes)),
        }, ct));
        return command;
    }

    private static Task<int> RunAsync(ParseResult parseResult, EntityKind kind, bool json, string? jwtFile, Dictionary<string, object?> body, CancellationToken cancellationToken) =>
        CliFailure.RunAsync("create " + kind.Name, parseResult.InvocationConfiguration.Error, async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            using var client = ManagementClient.FromStoredLogin();
            var created = await client.CreateAsync(kind.Collection, body.Where(p => p.Value is not null).ToDictionary(), cancellationToken);
            string id = created.GetProperty("id").GetString()!;
            if (jwtFile is not null)
            {
                // A router's token is issued after its record is stored; read it back.
                var entity = kind == EntityKind.EdgeRouter ? await client.GetAsync(kind.Collection, id, cancellationToken) : created;
                string jwt = EnrollmentJwtOf(kind, entity) ?? throw new ZtControllerException($"the controller issued no enrollment token for {kind.Name} '{id}'");
                await File.WriteAllTextAsync(jwtFile, jwt + "\n", cancellationToken);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(jwtFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            if (json)
            {
                await TableWriter.WriteJsonAsync(output, created);
            }
            else
            {
                await output.WriteLineAsync($"created {kind.Name} '{created.GetProperty("name").GetString()}' (id {id})" +
                    (jwtFile is null ? "" : $"; enrollment token written to {jwtFile}"));
            }

            return 0;
        });

    private static string? EnrollmentJwtOf(EntityKind kind, JsonElement entity) =>
        kind == EntityKind.EdgeRouter
            ? entity.TryGetProperty("enrollmentJwt", out var r) ? r.GetString() : null
            : entity.TryGetProperty("enrollment", out var e) && e.TryGetProperty("ott", out var ott) && ott.TryGetProperty("jwt", out var jwt) ? jwt.GetString() : null;
}
