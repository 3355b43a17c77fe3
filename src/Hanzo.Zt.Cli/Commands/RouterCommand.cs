using System.CommandLine;
using Hanzo.Zt.Router;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt router run</c>: hosts an edge router until Ctrl+C or SIGTERM, enrolling it on first start.</summary>
internal static class RouterCommand
{
    public static Command Create()
    {
        var command = new Command("router", "Run a ZT edge router: mutual-TLS edge links, session checks, dial/bind splicing and relay.");
        command.Subcommands.Add(CreateRun());
        return command;
    }

    private static Command CreateRun()
    {
        var controller = ControllerUrls.CreateOption("the controller the enrollment token names");
        var dataDir = new Option<string>("--data-dir") { Description = "Directory of the router's key, certificate and CA (created when missing).", Required = true };
        var listen = new Option<string>("--listen")
        {
            Description = "Edge listener address, tls://host:port.",
            DefaultValueFactory = _ => "tls://127.0.0.1:3022",
        };
        var enroll = new Option<string?>("--enroll") { Description = "File holding the router's enrollment token (erott JWT); needed on the first start only." };
        var billing = FabricBilling.ModeOption();
        var ledgerDir = FabricBilling.LedgerDirectoryOption();
        var checkpoint = new Option<TimeSpan>("--usage-checkpoint-interval")
        {
            Description = "How often the usage of open circuits is written to the outbox (hh:mm:ss; 00:00:00 turns it off): a killed router loses at most this much of their usage.",
            DefaultValueFactory = _ => new RouterOptions().UsageCheckpointInterval,
        };
        var command = new Command("run", "Serve the edge router until stopped.") { controller, dataDir, listen, enroll, billing, ledgerDir, checkpoint };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            using var shutdown = new Shutdown(cancellationToken);
            // Metered circuits and deliveries are logged: they are the router's billing trail.
            using var loggers = StandardErrorLog.Create(b => b
                .AddFilter("Hanzo.Zt.Router.Metering", LogLevel.Information)
                .AddFilter(typeof(Hanzo.Zt.Billing.UsageDeliveryService).FullName, LogLevel.Information));
            var mode = parseResult.GetValue(billing)!;
            FabricBilling? fabricBilling;
            try
            {
                fabricBilling = FabricBilling.Create(mode, parseResult.GetValue(ledgerDir), Path.Combine(parseResult.GetValue(dataDir)!, "usage-outbox.db"), loggers);
            }
            catch (ZtException e)
            {
                await error.WriteLineAsync($"zt router: {e.Message}");
                return 1;
            }
            await using var billingScope = fabricBilling;

            RouterHost host;
            try
            {
                var options = new RouterOptions
                {
                    DataDirectory = parseResult.GetValue(dataDir)!,
                    Listen = new Uri(parseResult.GetValue(listen)!),
                    EnrollmentJwt = parseResult.GetValue(enroll) is { } file ? await File.ReadAllTextAsync(file, cancellationToken) : null,
                    UsageMeter = fabricBilling?.Meter,
                    UsageCheckpointInterval = parseResult.GetValue(checkpoint),
                };
                foreach (var url in ControllerUrls.Parse(parseResult.GetValue(controller)))
                {
                    options.ControllerUrls.Add(url);
                }

                host = await RouterHost.StartAsync(options, loggers, shutdown.Token);
            }
            catch (Exception e) when (e is ZtException or IOException or UnauthorizedAccessException or UriFormatException or System.Net.Sockets.SocketException)
            {
                await error.WriteLineAsync($"zt router: {e.Message}");
                return 1;
            }

            await using (host)
            {
                if (fabricBilling is not null) await fabricBilling.StartDeliveryAsync(shutdown.Token);
                if (mode == FabricBilling.Unset) await error.WriteLineAsync(FabricBilling.UnsetWarning("router"));
                await output.WriteLineAsync($"zt router {host.RouterId} listening on tls://{host.EndPoint} (billing {(fabricBilling?.Mode ?? FabricBilling.Off)})");
                await output.FlushAsync(CancellationToken.None);
                await shutdown.WaitAsync();
            }

            await output.WriteLineAsync("zt router stopped");
            return 0;
        });
        return command;
    }
}
