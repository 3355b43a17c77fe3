using System.CommandLine;
using Hanzo.Zt.Cli.Admin;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt list identities|services|service-policies|edge-routers</c>: a table, or JSON with <c>--json</c>.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List identities, services, service policies or edge routers (after `zt login`).");
        foreach (var kind in EntityKind.All)
        {
            command.Subcommands.Add(For(kind));
        }

        return command;
    }

    private static Command For(EntityKind kind)
    {
        var filter = new Option<string?>("--filter") { Description = "name=\"x\" (exact), name contains \"x\", or text the name contains." };
        var limit = new Option<int>("--limit") { Description = "At most this many (1-500).", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print the entities as JSON." };
        var command = new Command(kind.Plural, $"List {kind.Plural}.") { filter, limit, json };
        command.Aliases.Add(kind.Name);
        command.SetAction((parseResult, cancellationToken) => CliFailure.RunAsync("list " + kind.Plural, parseResult.InvocationConfiguration.Error, async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            using var client = ManagementClient.FromStoredLogin();
            var (items, total) = await client.ListAsync(kind.Collection, parseResult.GetValue(filter), Math.Clamp(parseResult.GetValue(limit), 1, 500), cancellationToken);
            if (parseResult.GetValue(json))
            {
                await TableWriter.WriteJsonAsync(output, items);
                return 0;
            }

            await TableWriter.WriteAsync(output, kind.Columns, items.Select(kind.Row));
            if (total > items.Count)
            {
                await output.WriteLineAsync($"({items.Count} of {total}; use --limit or --filter)");
            }

            return 0;
        }));
        return command;
    }
}
