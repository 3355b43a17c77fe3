using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.Billing.Tests;

/// <summary>The Commerce provider loaded the way an operator installs it: a plugin folder on disk.</summary>
public sealed class CommercePluginTests : IAsyncLifetime
{
    private const string PluginName = "Hanzo.Zt.Billing.Commerce";
    private readonly string _plugins = Directory.CreateTempSubdirectory("zt-commerce-plugin-").FullName;
    private CommerceStub _stub = null!;

    public async Task InitializeAsync() => _stub = await CommerceStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        Directory.Delete(_plugins, recursive: true);
    }

    [Fact]
    public async Task AddPlugins_registers_the_Commerce_provider_with_its_options_and_http_client()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_plugins, PluginName)).FullName;
        foreach (var file in Directory.GetFiles(BuildOutput()))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HanzoZt:Billing:Commerce:BaseUrl"] = _stub.Address.ToString(),
            ["HanzoZt:Billing:Commerce:ServiceToken"] = "plugin-token",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHanzoZt().AddPlugins(_plugins);
        await using var provider = services.BuildServiceProvider();

        var billing = provider.GetRequiredService<IBillingProvider>();
        var balance = await billing.GetBalanceAsync("acme/alice");

        billing.GetType().FullName.ShouldBe("Hanzo.Zt.Billing.Commerce.CommerceBillingProvider");
        balance.Available.ShouldBe(_stub.Available);
        _stub.Requests.Single().Authorization.ShouldBe("Bearer plugin-token");
    }

    private static string BuildOutput()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var output = Path.Combine(dir.FullName, "plugins", PluginName, "bin", configuration, "net10.0");
            if (File.Exists(Path.Combine(output, PluginName + ".dll"))) return output;
        }
        throw new InvalidOperationException($"the {PluginName} build output was not found above {AppContext.BaseDirectory}");
    }
}
