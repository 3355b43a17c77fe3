using System.CommandLine;
using System.Globalization;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt ping &lt;service&gt; --identity &lt;file&gt; [--count N] [--until-direct] [--timeout S]</c>: like <c>tailscale ping</c>,
/// pings the host that serves the service through the fabric and prints one line per reply,
/// <c>pong from &lt;host&gt; via direct &lt;ip:port&gt; in &lt;t&gt; ms</c> or <c>pong from &lt;host&gt; via relay &lt;router&gt; in &lt;t&gt; ms</c>.
/// Exits 0 when any reply came back.
/// </summary>
internal static class PingCommand
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "The service whose host to ping." };
        var identity = new Option<string>("--identity") { Description = "The dialer's identity file.", Required = true };
        var count = new Option<int>("--count") { Description = "Pings to send (default 10).", DefaultValueFactory = _ => 10 };
        var untilDirect = new Option<bool>("--until-direct") { Description = "Stop at the first reply over a direct path." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each reply (default 5).", DefaultValueFactory = _ => 5 };
        var controller = ControllerUrls.CreateOption("the identity file's ztAPIs/ztAPI");
        var command = new Command("ping", "Ping the host of a service through the fabric and show the path each reply took.") { service, identity, count, untilDirect, timeout, controller };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            string name = parseResult.GetValue(service)!;
            int pings = parseResult.GetValue(count);
            var wait = TimeSpan.FromSeconds(parseResult.GetValue(timeout));
            if (pings < 1 || wait <= TimeSpan.Zero)
            {
                await error.WriteLineAsync("zt ping: --count must be at least 1 and --timeout positive");
                return 2;
            }

            try
            {
                Admin.IdentityFileCheck.Check(parseResult.GetValue(identity)!);
                using var loggers = StandardErrorLog.Create();
                await using var context = ZtContext.FromIdentityFile(parseResult.GetValue(identity)!, ControllerUrls.ContextOptions(parseResult.GetValue(controller), loggers));
                await using var connection = await context.DialAsync(name, cancellationToken);
                int replies = 0;
                for (int i = 0; i < pings; i++)
                {
                    if (i > 0)
                    {
                        await Task.Delay(Interval, cancellationToken);
                    }

                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(wait);
                    ZtPingResult pong;
                    try
                    {
                        pong = await connection.PingAsync(deadline.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        await error.WriteLineAsync($"zt ping: no reply from {connection.PeerIdentity} within {wait.TotalSeconds:0.#} s");
                        continue;
                    }

                    replies++;
                    string ms = pong.RoundTrip.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
                    await output.WriteLineAsync($"pong from {connection.PeerIdentity} via {pong.Path} in {ms} ms");
                    await output.FlushAsync(cancellationToken);
                    if (parseResult.GetValue(untilDirect) && pong.Path.IsDirect)
                    {
                        break;
                    }
                }

                return replies > 0 ? 0 : 1;
            }
            catch (Exception e) when (e is ZtException or IOException)
            {
                await error.WriteLineAsync($"zt ping: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
