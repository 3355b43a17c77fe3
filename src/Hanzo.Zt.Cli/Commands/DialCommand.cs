using System.CommandLine;
using Microsoft.Win32.SafeHandles;
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
                Admin.IdentityFileCheck.Check(parseResult.GetValue(identity)!);
                using var loggers = StandardErrorLog.Create();
                await using var context = ZtContext.FromIdentityFile(parseResult.GetValue(identity)!, ControllerUrls.ContextOptions(parseResult.GetValue(controller), loggers));
                await using var connection = await context.DialAsync(name, cancellationToken);
                await error.WriteLineAsync($"zt dial: connected to '{name}' (host {connection.PeerIdentity})");
                await error.FlushAsync(cancellationToken);
                PathReporter.Attach(connection, error);
                StandardPipes.Enlarge();
                // The pumps block in reads and writes that take no token: a cancellation ends them by closing the connection.
                await using var stop = cancellationToken.Register(static c => _ = ((ZtConnection)c!).DisposeAsync().AsTask(), connection);
                var send = SendAsync(connection, cancellationToken);
                var receive = ReceiveAsync(connection, cancellationToken);
                await Task.WhenAll(send, receive);
                return 0;
            }
            catch (Exception e) when (e is ZtException or IOException or ObjectDisposedException)
            {
                // Canceled, the connection was closed under the pumps: that is the cancellation, not a failure to report.
                cancellationToken.ThrowIfCancellationRequested();
                await error.WriteLineAsync($"zt dial: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Bytes per read and write: large, so a bulk transfer takes few system calls and few frames.</summary>
    private const int BufferBytes = 256 * 1024;

    /// <summary>
    /// Standard input, read raw (no console layer) on a thread of its own: reads from a pipe or file block, and a
    /// blocking read must not hold a thread-pool thread. The connection is written with blocking writes as well, which
    /// on the relay wait for credit right here, with no asynchronous step. One buffer for the whole transfer.
    /// </summary>
    private static Task SendAsync(ZtConnection connection, CancellationToken cancellationToken) =>
        OnOwnThread(
            () =>
            {
                using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
                byte[] buffer = new byte[BufferBytes];
                int n;
                while ((n = stdin.Read(buffer, 0, buffer.Length)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    connection.Write(buffer, 0, n);
                }

                connection.Flush();
                connection.CloseWriteAsync().AsTask().GetAwaiter().GetResult();
            },
            cancellationToken);

    /// <summary>
    /// The connection to standard output, on a thread of its own as standard input is read: a full pipe (a slower
    /// reader) would otherwise block a thread-pool thread, which the connection's own I/O needs. The connection is read
    /// with blocking reads, in runs: after a read, further reads join the run while the connection has bytes ready
    /// (<see cref="ZtConnection.DataAvailable"/>), so one write to standard output carries many TLS records.
    /// </summary>
    private static Task ReceiveAsync(ZtConnection connection, CancellationToken cancellationToken) =>
        OnOwnThread(
            () =>
            {
                using var stdout = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
                byte[] buffer = new byte[BufferBytes];
                int n;
                do
                {
                    int end = 0;
                    do
                    {
                        n = connection.Read(buffer, end, buffer.Length - end);
                        end += n;
                    }
                    while (n > 0 && buffer.Length - end >= MinimumRead && connection.DataAvailable);

                    cancellationToken.ThrowIfCancellationRequested();
                    stdout.Write(buffer, 0, end);
                }
                while (n > 0);
            },
            cancellationToken);

    /// <summary>Free bytes below which a run stops gathering: a read into less would come back small.</summary>
    private const int MinimumRead = 32 * 1024;

    // Blocking standard I/O gets a thread of its own, never one of the thread pool's.
    private static Task OnOwnThread(Action work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
