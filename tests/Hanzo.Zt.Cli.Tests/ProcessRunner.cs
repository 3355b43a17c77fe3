using System.Diagnostics;

namespace Hanzo.Zt.Cli.Tests;

/// <summary>Runs a process to completion and captures what it printed.</summary>
internal static class ProcessRunner
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, params string[] args) =>
        RunAsync(fileName, new Dictionary<string, string>(), args);

    /// <summary>Runs with extra environment variables; an empty value removes the variable.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
        {
            if (value.Length == 0) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await output, await error);
    }

    public static async Task<(int ExitCode, byte[] Output, string Error)> RunWithInputAsync(string fileName, byte[] input, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(guard.Token);
        await copy;
        return (process.ExitCode, output.ToArray(), await error);
    }
}
