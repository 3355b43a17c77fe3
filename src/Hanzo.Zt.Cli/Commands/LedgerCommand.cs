using System.CommandLine;
using System.Runtime.InteropServices;
using Hanzo.Zt.Billing.Ledger.Http;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt ledger serve</c>: runs the embedded billing ledger behind Hanzo Commerce's billing API, for self-hosting.
/// The administration token (every scope, every org) comes from <c>COMMERCE_SERVICE_TOKEN</c>; a metering token
/// (balance read and usage write, for the orgs of <c>--metering-orgs</c>, never deposits) from
/// <c>LEDGER_METERING_TOKEN</c>, for controllers and routers. One line containing <c>listening</c> is printed when
/// the server is ready, and it serves until Ctrl+C or SIGTERM.
/// </summary>
internal static class LedgerCommand
{
    public const string TokenVariable = "COMMERCE_SERVICE_TOKEN";
    public const string MeteringTokenVariable = "LEDGER_METERING_TOKEN";

    public static Command Create()
    {
        var command = new Command("ledger", "Run the embedded billing ledger (Hanzo Commerce's billing API over a local SQLite journal).");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(LedgerDepositCommand.Create());
        return command;
    }

    private static Command CreateServe()
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory holding the ledger database (created if missing).",
            Required = true,
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Address to listen on, e.g. http://127.0.0.1:5123 (port 0 picks a free port).",
            DefaultValueFactory = _ => "http://127.0.0.1:5123",
        };
        var meteringOrgs = new Option<string?>("--metering-orgs")
        {
            Description = $"The orgs the metering token ({MeteringTokenVariable}) may read and charge, comma separated; * for every org. Required with that token.",
        };
        var serve = new Command("serve", $"Serve the ledger until Ctrl+C or SIGTERM. Requires {TokenVariable} (administration: deposits); {MeteringTokenVariable} adds a metering token.") { dataDir, urls, meteringOrgs };
        serve.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var token = Environment.GetEnvironmentVariable(TokenVariable);
            if (string.IsNullOrEmpty(token))
            {
                error.WriteLine($"zt ledger serve: {TokenVariable} is not set; set it to the bearer token clients must present");
                return 1;
            }

            List<LedgerCredential> credentials = [LedgerCredential.Admin(token)];
            var meteringToken = Environment.GetEnvironmentVariable(MeteringTokenVariable);
            var orgs = parseResult.GetValue(meteringOrgs);
            if (!string.IsNullOrEmpty(meteringToken))
            {
                if (string.IsNullOrWhiteSpace(orgs))
                {
                    error.WriteLine($"zt ledger serve: {MeteringTokenVariable} is set but --metering-orgs is not; name the orgs it may charge (or * for every org)");
                    return 1;
                }
                if (meteringToken == token)
                {
                    error.WriteLine($"zt ledger serve: {MeteringTokenVariable} must differ from {TokenVariable}");
                    return 1;
                }
                credentials.Add(LedgerCredential.Metering(meteringToken, orgs.Trim() == "*" ? null : orgs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            }
            else if (!string.IsNullOrWhiteSpace(orgs))
            {
                error.WriteLine($"zt ledger serve: --metering-orgs needs {MeteringTokenVariable}");
                return 1;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

            LedgerServer server;
            try
            {
                server = await LedgerServer.StartAsync(parseResult.GetValue(dataDir)!, parseResult.GetValue(urls)!, credentials, stop.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error.WriteLine($"zt ledger serve: could not start: {ex.Message}");
                return 1;
            }

            await using (server)
            {
                output.WriteLine($"ledger listening on {server.Address.ToString().TrimEnd('/')}");
                output.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or SIGTERM: stop gracefully below.
                }
            }
            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true; // exit through the normal path so the ledger is closed cleanly
                stop.Cancel();
            }
        });
        return serve;
    }
}
