using System.Diagnostics;

namespace Hanzo.Zt.AspNetCore.Tests;

/// <summary>
/// The test application (a minimal API and a gRPC service on a ZT service) running as its own process, so what
/// it listens on can be told apart from the test process's controller and router.
/// </summary>
internal sealed class ServingProcess : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _lines = [];

    private ServingProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Transcript
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts the application serving <paramref name="service"/> as <paramref name="identityFile"/> and waits until it is bound.</summary>
    public static async Task<ServingProcess> StartAsync(string service, string identityFile)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Hanzo.Zt.AspNetCore.TestApp.dll"));
        start.ArgumentList.Add($"--Service={service}");
        start.ArgumentList.Add($"--HanzoZt:IdentityFile={identityFile}");
        start.ArgumentList.Add("--HanzoZt:Billing:Enabled=false");
        var child = new ServingProcess(new Process { StartInfo = start });
        child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();

        var first = await Task.WhenAny(child._serving.Task, child._process.WaitForExitAsync(), Task.Delay(Guard));
        if (first != child._serving.Task)
        {
            await child.DisposeAsync();
            throw new InvalidOperationException($"the test application did not start serving:\n{child.Transcript}");
        }

        return child;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.StartsWith("serving", StringComparison.Ordinal))
        {
            _serving.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var guard = new CancellationTokenSource(Guard);
        await _process.WaitForExitAsync(guard.Token);
        _process.Dispose();
    }
}
