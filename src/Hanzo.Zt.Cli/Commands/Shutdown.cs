using System.Runtime.InteropServices;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>A token canceled by Ctrl+C or SIGTERM, so long-running verbs stop through their normal path.</summary>
internal sealed class Shutdown : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _int;

    public Shutdown(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>Waits until stopped.</summary>
    public async Task WaitAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped: return normally so the caller closes cleanly.
        }
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _term.Dispose();
        _int.Dispose();
        _stop.Dispose();
    }
}
