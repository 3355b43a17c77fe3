using System.Diagnostics;
using System.Globalization;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// The repository's NuGet packages, packed once for the package tests with <c>dotnet pack --no-build</c> (what
/// <c>./build.sh test</c> puts in artifacts/packages), under a version unique to this run so that no copy of an
/// earlier build in the NuGet cache can stand in for them.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("hanzo-zt-packages-").FullName;

    public string Packages => Path.Combine(Root, "packages");

    public string Version { get; } = "0.1.0-t" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hanzo.Zt.Framework.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("the repository root (Hanzo.Zt.Framework.sln) is not above " + AppContext.BaseDirectory);
        }
    }

    public async Task InitializeAsync()
    {
        var (exit, output) = await RunAsync("dotnet", ["pack", Path.Combine(RepositoryRoot, "Hanzo.Zt.Framework.sln"), "-c", "Release", "--no-build", $"-p:Version={Version}", "-o", Packages], Root);
        exit.ShouldBe(0, output);
    }

    /// <summary>Runs a process to its end; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await output + await error);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
