using System.Diagnostics;
using System.Threading.Channels;

namespace Hanzo.Zt.Interop.Tests;

/// <summary>A child process whose output lines the test can wait for; killed when disposed.</summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = new();
    private readonly Task _pump;

    private PeerProcess(Process process)
    {
        _process = process;
        _pump = PumpAsync();
    }

    public static PeerProcess Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new PeerProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}"));
    }

    /// <summary>Starts the Calculator sample built next to the tests.</summary>
    public static PeerProcess StartCalculator(params string[] args) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Calculator.dll"), .. args]);

    /// <summary>Every line printed so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public string Transcript => string.Join('\n', Lines);

    /// <summary>Waits for the first line that contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForLineAsync(string text)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(guard.Token))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new ShouldAssertException($"the process never printed '{text}'; it printed:\n{Transcript}\n{await StandardErrorAsync()}");
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        await _process.WaitForExitAsync(guard.Token);
        await _pump;
        return _process.ExitCode;
    }

    public Task<string> StandardErrorAsync() => _process.HasExited ? _process.StandardError.ReadToEndAsync() : Task.FromResult("");

    public void Kill() => _process.Kill(entireProcessTree: true);

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_seen)
            {
                _seen.Add(line);
            }

            _lines.Writer.TryWrite(line);
        }

        _lines.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
