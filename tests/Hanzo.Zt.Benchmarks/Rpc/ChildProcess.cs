using System.Diagnostics;

namespace Hanzo.Zt.Benchmarks.Rpc;

/// <summary>A server or client process the benchmark runs; a server stops when its standard input closes.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public static ChildProcess Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}"));
    }

    /// <summary>This benchmark program again, in another mode.</summary>
    public static ChildProcess StartSelf(string mode)
    {
        string host = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? Start(host, typeof(ChildProcess).Assembly.Location, mode)
            : Start(host, mode);
    }

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; returns the rest of it.</summary>
    public async Task<string> ReadAfterAsync(string prefix)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (await _process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }

        throw new InvalidOperationException($"{_process.StartInfo.FileName} ended without printing '{prefix}'");
    }

    public async Task<int> PortAsync() => int.Parse(await ReadAfterAsync("listening on port "), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
