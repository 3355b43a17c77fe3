using System.CommandLine;
using Hanzo.Zt.Cli.Admin;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt delete identity|service|service-policy|edge-router &lt;name-or-id&gt;</c>.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var command = new Command("delete", "Delete an identity, service, service policy or edge router by name or id (after `zt login`).");
        foreach (var kind in EntityKind.All)
        {
            command.Subcommands.Add(For(kind));
        }

        return command;
    }

    private static Command For(EntityKind kind)
    {
        var target = new Argument<string>("name-or-id") { Description = $"The {kind.Name}'s name or id." };
        var command = new Command(kind.Name, $"Delete a {kind.Name}.") { target };
        command.SetAction((parseResult, cancellationToken) => CliFailure.RunAsync("delete " + kind.Name, parseResult.InvocationConfiguration.Error, async () =>
        {
            using var client = ManagementClient.FromStoredLogin();
            var entity = await client.FindAsync(kind.Collection, kind.Name, parseResult.GetValue(target)!, cancellationToken);
            string id = entity.GetProperty("id").GetString()!;
            await client.DeleteAsync(kind.Collection, id, cancellationToken);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"deleted {kind.Name} '{entity.GetProperty("name").GetString()}' (id {id})");
            return 0;
        }));
        return command;
    }
}
