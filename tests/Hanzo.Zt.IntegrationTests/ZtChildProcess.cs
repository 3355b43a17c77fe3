using System.Diagnostics;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// The built <c>zt</c> tool running as a child process, with its output lines collected so a test can await a
/// line (such as <c>listening</c> or <c>bound</c>) instead of sleeping.
/// </summary>
internal sealed class ZtChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ZtChildProcess(Process process) => _process = process;

    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "zt.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The raw standard input and output, for verbs that carry data (<c>zt dial</c>).</summary>
    public Stream StandardInput => _process.StandardInput.BaseStream;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>Every line printed so far on standard error (and on standard output unless it carries data).</summary>
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

    /// <summary>Starts <c>zt</c> with <paramref name="args"/>; <paramref name="rawOutput"/> leaves standard output unread for the test.</summary>
    /// <param name="netns">A network namespace to run it in (<c>ip netns exec</c>, which execs: the process is zt itself).</param>
    public static ZtChildProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, bool rawOutput = false, string? program = null, string? netns = null)
    {
        var start = new ProcessStartInfo(netns is null ? "dotnet" : "ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (netns is not null)
        {
            foreach (var arg in (string[])["netns", "exec", netns, "dotnet"])
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.ArgumentList.Add(program ?? ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var child = new ZtChildProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        if (!rawOutput)
        {
            child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        }

        child._process.Start();
        child._process.BeginErrorReadLine();
        if (!rawOutput)
        {
            child._process.BeginOutputReadLine();
        }

        return child;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> seen = [];
        lock (_lines)
        {
            _lines.Add(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    seen.Add(_waiters[i].Seen);
                    _waiters.RemoveAt(i);
                }
            }
        }

        seen.ForEach(s => s.TrySetResult(line));
    }

    /// <summary>Waits for a line containing <paramref name="text"/>, counting lines already printed.</summary>
    public Task<string> WaitForLineAsync(string text, int occurrence = 1) =>
        WaitForAsync(l => l.Contains(text, StringComparison.Ordinal), $"'{text}'", occurrence);

    /// <summary>Waits for a line that <paramref name="match"/> accepts (<paramref name="description"/> says which, for the failure).</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, string description) => WaitForAsync(match, description, 1);

    private async Task<string> WaitForAsync(Func<string, bool> match, string description, int occurrence)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            var already = _lines.Where(match).ToList();
            if (already.Count >= occurrence)
            {
                return already[occurrence - 1];
            }

            int remaining = occurrence - already.Count;
            _waiters.Add((l => match(l) && --remaining == 0, seen));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(Guard));
        if (first == seen.Task)
        {
            return await seen.Task;
        }

        throw new InvalidOperationException(first == exited
            ? $"zt exited ({_process.ExitCode}) before printing {description}:\n{Transcript}"
            : $"zt did not print {description} within {Guard.TotalSeconds} s:\n{Transcript}");
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var guard = new CancellationTokenSource(Guard);
        await _process.WaitForExitAsync(guard.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await WaitForExitAsync();
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits for it.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }
}
