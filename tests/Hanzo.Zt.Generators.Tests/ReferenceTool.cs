using System.Diagnostics;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Runs the reference <c>capnp</c> tool with bytes on stdin.</summary>
internal static class ReferenceTool
{
    public static Task<byte[]> RunAsync(byte[] input, params string[] args) =>
        RunInAsync(Path.Combine(AppContext.BaseDirectory, "Schemas"), input, args);

    public static async Task<byte[]> RunInAsync(string directory, byte[] input, params string[] args)
    {
        var start = new ProcessStartInfo("capnp")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(input, timeout.Token);
        process.StandardInput.Close();
        await reading;
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, $"capnp {string.Join(' ', args)}: {await errors}");
        return output.ToArray();
    }
}
