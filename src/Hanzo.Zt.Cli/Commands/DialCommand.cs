using System.CommandLine;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt dial &lt;service&gt; --identity &lt;file&gt;</c>: like <c>nc</c>, pipes standard input to a connection to the service
/// and the connection to standard output; exits when both directions have ended. Status goes to standard error.
/// </summary>
internal static class DialCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "The service to dial." };
        var identity = new Option<string>("--identity") { Description = "The dialer's identity file.", Required = true };
        var controller = ControllerUrls.CreateOption("the identity file's ztAPIs/ztAPI");
        var command = new Command("dial", "Connect standard input and output to a service through the fabric.") { service, identity, controller };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            string name = parseResult.GetValue(service)!;
            try
            {
                await using var context = ZtContext.FromIdentityFile(parseResult.GetValue(identity)!, ControllerUrls.ContextOptions(parseResult.GetValue(controller)));
                await using var connection = await context.DialAsync(name, cancellationToken);
                await error.WriteLineAsync($"zt dial: connected to '{name}' (host {connection.PeerIdentity})");
                await error.FlushAsync(cancellationToken);
                await using var stdin = Console.OpenStandardInput();
                await using var stdout = Console.OpenStandardOutput();
                var send = SendAsync(stdin, connection, cancellationToken);
                var receive = ReceiveAsync(connection, stdout, cancellationToken);
                await Task.WhenAll(send, receive);
                return 0;
            }
            catch (Exception e) when (e is ZtException or IOException)
            {
                await error.WriteLineAsync($"zt dial: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task SendAsync(Stream input, ZtConnection connection, CancellationToken cancellationToken)
    {
        await input.CopyToAsync(connection, 64 * 1024, cancellationToken);
        await connection.FlushAsync(cancellationToken);
        await connection.CloseWriteAsync();
    }

    private static async Task ReceiveAsync(ZtConnection connection, Stream output, CancellationToken cancellationToken)
    {
        await connection.CopyToAsync(output, 64 * 1024, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
