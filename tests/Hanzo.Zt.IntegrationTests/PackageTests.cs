namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// What a user installs: the <c>zt</c> .NET tool from the packages, and the template pack, whose templates are
/// instantiated, restored from the packages, built and tested as a user would.
/// </summary>
public sealed class PackageTests(PackageFixture packages) : IClassFixture<PackageFixture>
{
    [Fact]
    public async Task The_packages_include_the_SDK_with_its_generator_as_an_analyzer_and_the_tool()
    {
        string sdk = Path.Combine(packages.Packages, $"Hanzo.Zt.{packages.Version}.nupkg");
        File.Exists(sdk).ShouldBeTrue(string.Join('\n', Directory.GetFiles(packages.Packages)));
        using var archive = System.IO.Compression.ZipFile.OpenRead(sdk);
        archive.Entries.Select(e => e.FullName).ShouldContain("analyzers/dotnet/cs/Hanzo.Zt.Generators.dll");
        foreach (string id in new[] { "Hanzo.Zt.Abstractions", "Hanzo.Zt.Zap", "Hanzo.Zt.Testing", "Hanzo.Zt.Billing.Ledger", "Hanzo.Zt.Billing.Commerce", "Hanzo.Zt.Cli", "Hanzo.Zt.Templates" })
        {
            File.Exists(Path.Combine(packages.Packages, $"{id}.{packages.Version}.nupkg")).ShouldBeTrue(id);
        }
    }

    [Fact]
    public async Task The_zt_tool_installs_from_the_packages_and_runs()
    {
        string tools = Path.Combine(packages.Root, "tools");

        var (installed, log) = await PackageFixture.RunAsync("dotnet",
            ["tool", "install", "Hanzo.Zt.Cli", "--version", packages.Version, "--tool-path", tools, "--add-source", packages.Packages], packages.Root);
        installed.ShouldBe(0, log);
        var (exit, output) = await PackageFixture.RunAsync(Path.Combine(tools, "zt"), ["--help"], packages.Root);

        exit.ShouldBe(0, output);
        output.ShouldContain("quickstart");
        output.ShouldContain("login");
    }

    [Theory]
    [InlineData("zt-service", "Shop", "Shop.Tests")]
    [InlineData("zt-plugin", "Allowance", "Allowance.Tests")]
    public async Task A_template_instantiates_restores_from_the_packages_builds_and_its_tests_pass(string template, string name, string testProject)
    {
        string root = Path.Combine(packages.Root, template);
        Directory.CreateDirectory(root);
        var cliHome = new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = Path.Combine(root, "cli-home") };
        string pack = Path.Combine(packages.Packages, $"Hanzo.Zt.Templates.{packages.Version}.nupkg");

        var (installed, installLog) = await PackageFixture.RunAsync("dotnet", ["new", "install", pack], root, cliHome);
        installed.ShouldBe(0, installLog);
        var (created, createLog) = await PackageFixture.RunAsync("dotnet", ["new", template, "-n", name, "-o", Path.Combine(root, name)], root, cliHome);
        created.ShouldBe(0, createLog);
        await File.WriteAllTextAsync(Path.Combine(root, name, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="hanzo-zt-local" value="{packages.Packages}" />
              </packageSources>
            </configuration>
            """);

        var (tested, testLog) = await PackageFixture.RunAsync("dotnet",
            ["test", Path.Combine(root, name, testProject), "-c", "Release", $"-p:HanzoZtVersion={packages.Version}"], root);

        tested.ShouldBe(0, testLog);
        testLog.ShouldContain("Passed!");
    }
}
