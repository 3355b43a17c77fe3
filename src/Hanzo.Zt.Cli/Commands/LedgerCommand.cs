using System.CommandLine;
using System.Runtime.InteropServices;
using Hanzo.Zt.Billing.Ledger.Http;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt ledger serve</c>: runs the embedded billing ledger behind Hanzo Commerce's billing API, for self-hosting.
/// The service token comes from <c>COMMERCE_SERVICE_TOKEN</c>; one line containing <c>listening</c> is printed when
/// the server is ready, and it serves until Ctrl+C or SIGTERM.
/// </summary>
internal static class LedgerCommand
{
    public const string TokenVariable = "COMMERCE_SERVICE_TOKEN";

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
        var serve = new Command("serve", $"Serve the ledger until Ctrl+C or SIGTERM. Requires {TokenVariable}.") { dataDir, urls };
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

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

            LedgerServer server;
            try
            {
                server = await LedgerServer.StartAsync(parseResult.GetValue(dataDir)!, parseResult.GetValue(urls)!, token, stop.Token);
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
