using System.Diagnostics;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>Runs the reference <c>capnp</c> tool with bytes on stdin.</summary>
internal static class ReferenceTool
{
    public static string SchemaDirectory => Path.Combine(AppContext.BaseDirectory, "Schemas");

    public static string SchemaFile => Path.Combine(SchemaDirectory, "everything.capnp");

    public static byte[] Run(byte[] input, params string[] args)
    {
        var start = new ProcessStartInfo("capnp")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = SchemaDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        copy.Wait(TimeSpan.FromMinutes(1)).ShouldBeTrue("capnp did not finish");
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"capnp {string.Join(' ', args)} failed: {error.Result}");
        return output.ToArray();
    }

    public static byte[] Encode(string text, params string[] options) =>
        Run(System.Text.Encoding.UTF8.GetBytes(text), ["encode", .. options, "everything.capnp", "Everything"]);

    public static string DecodeShort(byte[] message) =>
        System.Text.Encoding.UTF8.GetString(Run(message, "decode", "--short", "everything.capnp", "Everything")).TrimEnd('\n');

    public static string Message(string name) => File.ReadAllText(Path.Combine(SchemaDirectory, "messages", name + ".txt"));

    public static TheoryData<string> Messages() => new(Directory.GetFiles(Path.Combine(SchemaDirectory, "messages"), "*.txt")
        .Select(Path.GetFileNameWithoutExtension).Order()!);
}
