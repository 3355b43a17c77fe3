using System.Diagnostics;

namespace Hanzo.Zt.Testing;

/// <summary>Runs the reference <c>capnp</c> tool with bytes on stdin; a nonzero exit fails the test with its stderr.</summary>
internal static partial class ReferenceTool
{
    /// <summary>The test project's schemas, copied next to its assembly.</summary>
    public static string SchemaDirectory => Path.Combine(AppContext.BaseDirectory, "Schemas");

    /// <summary>Runs <c>capnp</c> in <see cref="SchemaDirectory"/>; returns its stdout.</summary>
    public static Task<byte[]> RunAsync(byte[] input, params string[] args) => RunInAsync(SchemaDirectory, input, args);

    /// <summary>Runs <c>capnp</c> in <see cref="SchemaDirectory"/>, blocking; returns its stdout.</summary>
    public static byte[] Run(byte[] input, params string[] args) => RunInAsync(SchemaDirectory, input, args).GetAwaiter().GetResult();

    /// <summary>Runs <c>capnp</c> in <paramref name="directory"/>; returns its stdout.</summary>
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // guards against a hang only
        var output = new MemoryStream();
        // ConfigureAwait(false) throughout: Run blocks on this from synchronous tests.
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(input, timeout.Token).ConfigureAwait(false);
        process.StandardInput.Close();
        await reading.ConfigureAwait(false);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        process.ExitCode.ShouldBe(0, $"capnp {string.Join(' ', args)} failed: {await errors.ConfigureAwait(false)}");
        return output.ToArray();
    }
}
