namespace Hanzo.Zt.Cli.Tests;

/// <summary>Runs the built <c>zt</c> tool as a real process.</summary>
internal static class ZtProcess
{
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "zt.dll");

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [ToolPath, .. args]);

    /// <summary>Runs <c>zt</c> with extra environment variables (an empty value removes the variable).</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ProcessRunner.RunAsync("dotnet", environment, [ToolPath, .. args]);
}
