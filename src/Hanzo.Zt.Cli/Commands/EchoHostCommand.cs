using System.CommandLine;
using Hanzo.Zt.Events;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt echo-host --identity &lt;file&gt; --service &lt;name&gt;</c>: binds a service and echoes every connection's bytes
/// back, until Ctrl+C or SIGTERM. Prints a line containing <c>bound</c> once the bind is live.
/// </summary>
internal static class EchoHostCommand
{
    public static Command Create()
    {
        var identity = new Option<string>("--identity") { Description = "The host's identity file.", Required = true };
        var service = new Option<string>("--service") { Description = "The service to bind.", Required = true };
        var controller = ControllerUrls.CreateOption("the identity file's ztAPIs/ztAPI");
        var command = new Command("echo-host", "Bind a service and echo back every connection's bytes.") { identity, service, controller };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            string name = parseResult.GetValue(service)!;
            using var shutdown = new Shutdown(cancellationToken);
            using var loggers = StandardErrorLog.Create();
            ZtContext context;
            ZtListener listener;
            try
            {
                Admin.IdentityFileCheck.Check(parseResult.GetValue(identity)!);
                context = ZtContext.FromIdentityFile(parseResult.GetValue(identity)!, ControllerUrls.ContextOptions(parseResult.GetValue(controller), loggers));
                listener = await context.ListenAsync(name, shutdown.Token);
            }
            catch (ZtException e)
            {
                await error.WriteLineAsync($"zt echo-host: {e.Message}");
                return 1;
            }

            await using (context)
            await using (listener)
            {
                await output.WriteLineAsync($"zt echo-host: bound service '{name}'");
                await output.FlushAsync(CancellationToken.None);
                _ = ReportAsync(context, error, shutdown.Token);
                await AcceptAsync(listener, error, shutdown.Token);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Router links lost and binds the router confirmed again go to standard error, so operators (and tests) see re-binds.</summary>
    private static async Task ReportAsync(ZtContext context, TextWriter error, CancellationToken cancellationToken)
    {
        int binds = 0;
        try
        {
            await foreach (var e in context.Events.ReadAllAsync(cancellationToken))
            {
                string? line = e switch
                {
                    ServiceBoundEvent b when binds++ > 0 => $"zt echo-host: re-bound via router {b.Router}",
                    RouterDisconnectedEvent d => $"zt echo-host: lost router {d.RouterName}: {d.Reason}",
                    _ => null,
                };
                if (line is not null)
                {
                    await error.WriteLineAsync(line);
                    await error.FlushAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task AcceptAsync(ZtListener listener, TextWriter error, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ZtConnection connection;
            try
            {
                connection = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            PathReporter.Attach(connection, error);
            _ = EchoAsync(connection, cancellationToken);
        }
    }

    private static async Task EchoAsync(ZtConnection connection, CancellationToken cancellationToken)
    {
        await using (connection)
        {
            try
            {
                // Echoed in runs of what the connection has ready: one write for many TLS records.
                using var reader = new GatheringReader(connection, 256 * 1024);
                ReadOnlyMemory<byte> run;
                while (!(run = await reader.ReadAsync(cancellationToken)).IsEmpty)
                {
                    await connection.WriteAsync(run, cancellationToken);
                }

                await connection.CloseWriteAsync();
            }
            catch (Exception e) when (e is ZtException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The dialer went away or we are stopping: this connection is over, the others go on.
            }
        }
    }
}
