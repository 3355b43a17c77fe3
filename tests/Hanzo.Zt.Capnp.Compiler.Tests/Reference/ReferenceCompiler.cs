using System.Diagnostics;

namespace Hanzo.Zt.Capnp.Compiler.Tests.Reference;

/// <summary>Runs the reference <c>capnp compile -o-</c> and decodes its CodeGeneratorRequest to text.</summary>
internal static class ReferenceCompiler
{
    public const string SchemaCapnp = "/usr/include/capnp/schema.capnp";

    public static Dictionary<string, object> Compile(string directory, string file, params string[] importPaths)
    {
        string includes = string.Join(" ", importPaths.Select(p => $"-I{p}"));
        string command = $"capnp compile -o- {includes} {file} | capnp decode --short {SchemaCapnp} CodeGeneratorRequest";
        var start = new ProcessStartInfo("bash", new[] { "-o", "pipefail", "-c", command })
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, error.Result);
        return TextFormat.Parse(output);
    }
}
