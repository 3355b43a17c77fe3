using System.Diagnostics;

namespace Hanzo.Zt.Tests.Plugins;

/// <summary>
/// Builds <c>tests/Hanzo.Zt.TestPlugin</c> once with the real SDK and lays it out as a plugin folder,
/// so the loader is tested against an assembly loaded from disk.
/// </summary>
public sealed class TestPluginBuild : IDisposable
{
    private const string PluginName = "Hanzo.Zt.TestPlugin";

    public TestPluginBuild()
    {
        Root = Directory.CreateTempSubdirectory("zt-plugins-").FullName;
        var repo = FindRepositoryRoot();
        var project = Path.Combine(repo, "tests", PluginName, PluginName + ".csproj");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        // Output goes to a file: build servers outlive the build and would hold a redirected pipe open.
        var log = Path.Combine(Root, "build.log");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "build", project, "-c", configuration, "--nologo", "-v", "q", "-nodeReuse:false", "-p:UseSharedCompilation=false", $"-flp:logfile={log};verbosity=minimal" },
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var build = Process.Start(start)!;
        if (!build.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            build.Kill(entireProcessTree: true);
            throw new TimeoutException("building the test plugin took over 5 minutes");
        }
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"building the test plugin failed:\n{File.ReadAllText(log)}");

        var target = Path.Combine(Root, PluginName);
        Directory.CreateDirectory(target);
        var bin = Path.Combine(repo, "tests", PluginName, "bin", configuration, "net10.0");
        foreach (var file in Directory.GetFiles(bin).Where(f => !f.EndsWith(".log", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }

    /// <summary>A plugin directory holding the test plugin in its own folder.</summary>
    public string Root { get; }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Hanzo.Zt.Framework.sln")))
                return dir.FullName;
        throw new InvalidOperationException("repository root (Hanzo.Zt.Framework.sln) not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
