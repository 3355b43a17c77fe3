using System.CommandLine;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Controller.PostgreSql;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt controller run</c>: hosts the controller until Ctrl+C or SIGTERM.</summary>
internal static class ControllerCommand
{
    public static Command Create()
    {
        var command = new Command("controller", "Run the ZT controller: CA, identities, services, policies, sessions and enrollment over HTTPS.");
        command.Subcommands.Add(CreateRunCommand());
        return command;
    }

    private static Command CreateRunCommand()
    {
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "Directory of the controller's SQLite database and key file (created when missing); required with --store sqlite.",
        };
        var store = new Option<string?>("--store")
        {
            Description = "Where state is kept: sqlite (embedded, the default) or postgresql (shared by every controller given the same database; also ZT_CONTROLLER_STORE).",
        };
        var connectionString = new Option<string?>("--connection-string")
        {
            Description = "The PostgreSQL connection string, with --store postgresql (also ZT_CONTROLLER_CONNECTION_STRING).",
        };
        var urls = new Option<string>("--urls")
        {
            Description = "HTTPS URL to listen on, e.g. https://127.0.0.1:1280 (port 0 picks a free port).",
            DefaultValueFactory = _ => "https://127.0.0.1:1280",
        };
        var billing = FabricBilling.ModeOption();
        var ledgerDir = FabricBilling.LedgerDirectoryOption();
        var command = new Command("run", "Serve the controller until stopped. On first start (empty store) creates the CA and an 'admin' identity whose password is ZT_ADMIN_PASSWORD.")
        {
            dataDir,
            urls,
            store,
            connectionString,
            billing,
            ledgerDir,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var options = new ControllerOptions
            {
                DataDirectory = parseResult.GetValue(dataDir) ?? "",
                Url = parseResult.GetValue(urls)!,
                AdminPassword = Environment.GetEnvironmentVariable("ZT_ADMIN_PASSWORD"),
                MasterKey = Environment.GetEnvironmentVariable("ZT_CONTROLLER_KEY"),
                ConsoleLogging = true,
            };
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            var mode = parseResult.GetValue(billing)!;
            FabricBilling? fabricBilling;
            try
            {
                // The controller only checks balances: its outbox path is never opened.
                fabricBilling = FabricBilling.Create(mode, parseResult.GetValue(ledgerDir), Path.Combine(options.DataDirectory, "usage-outbox.db"), loggers);
            }
            catch (ZtException e)
            {
                await error.WriteLineAsync($"zt controller: {e.Message}");
                return 1;
            }
            await using var billingScope = fabricBilling;
            options.BillingGate = fabricBilling?.Gate;

            ControllerHost host;
            try
            {
                ChooseStore(options,
                    parseResult.GetValue(store) ?? Environment.GetEnvironmentVariable("ZT_CONTROLLER_STORE"),
                    parseResult.GetValue(connectionString) ?? Environment.GetEnvironmentVariable("ZT_CONTROLLER_CONNECTION_STRING"));
                host = await ControllerHost.StartAsync(options, cancellationToken);
            }
            catch (ZtException e)
            {
                await error.WriteLineAsync($"zt controller: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"zt controller: could not listen on {options.Url}: {e.Message}");
                return 1;
            }
            await using (host)
            {
                if (mode == FabricBilling.Unset) await error.WriteLineAsync(FabricBilling.UnsetWarning("controller"));
                await output.WriteLineAsync($"zt controller listening on {host.Url} (data {options.StoreDescription ?? Path.GetFullPath(options.DataDirectory)}, billing {(fabricBilling?.Mode ?? FabricBilling.Off)})");
                await output.FlushAsync(cancellationToken);
                try
                {
                    await host.WaitForShutdownAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: stop normally.
                }
            }
            await output.WriteLineAsync("zt controller stopped");
            return 0;
        });
        return command;
    }

    private static void ChooseStore(ControllerOptions options, string? store, string? connectionString)
    {
        switch (string.IsNullOrWhiteSpace(store) ? "sqlite" : store.Trim().ToLowerInvariant())
        {
            case "sqlite":
                if (!string.IsNullOrWhiteSpace(connectionString))
                    throw new ZtConfigurationException("a connection string was given but the store is sqlite; add --store postgresql (or ZT_CONTROLLER_STORE=postgresql)");
                break;
            case PostgreSqlControllerOptions.StoreName or "postgres":
                options.UsePostgreSql(connectionString ?? "");
                break;
            default:
                throw new ZtConfigurationException($"the store '{store}' is neither sqlite nor postgresql");
        }
    }
}
