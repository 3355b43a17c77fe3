using System.Runtime.Loader;
using Hanzo.Zt.Billing;
using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hanzo.Zt.Tests.Plugins;

public sealed class PluginLoadingTests(TestPluginBuild plugin) : IClassFixture<TestPluginBuild>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("zt-bad-plugins-").FullName;

    [Fact]
    public async Task Billing_provider_from_a_plugin_on_disk_resolves_from_the_container()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt().AddPlugins(plugin.Root);
        await using var provider = services.BuildServiceProvider();

        var billing = provider.GetRequiredService<IBillingProvider>();
        var balance = await billing.GetBalanceAsync("hanzo/dev");

        billing.GetType().FullName.ShouldBe("Hanzo.Zt.TestPlugin.FixedBalanceBillingProvider");
        AssemblyLoadContext.GetLoadContext(billing.GetType().Assembly).ShouldNotBe(AssemblyLoadContext.Default);
        balance.Available.ShouldBe(1234);
        balance.IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public async Task Plugin_entry_point_sees_the_host_configuration()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["TestPlugin:BalanceCents"] = "-5" });
        builder.Services.AddHanzoZt().AddPlugins(plugin.Root);
        using var host = builder.Build();

        var balance = await host.Services.GetRequiredService<IBillingProvider>().GetBalanceAsync("hanzo/dev");

        balance.Available.ShouldBe(-5);
        balance.IsAllowed.ShouldBeFalse();
    }

    [Fact]
    public async Task Configuration_passed_explicitly_reaches_the_plugin_entry_point()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TestPlugin:BalanceCents"] = "77" })
            .Build();
        var services = new ServiceCollection();
        services.AddHanzoZt().AddPlugins(plugin.Root, configuration);
        await using var provider = services.BuildServiceProvider();

        (await provider.GetRequiredService<IBillingProvider>().GetBalanceAsync("hanzo")).Available.ShouldBe(77);
    }

    [Fact]
    public void Catalog_lists_the_plugin_and_what_it_registered()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt().AddPlugins(plugin.Root);
        using var provider = services.BuildServiceProvider();

        var loaded = provider.GetRequiredService<ZtPluginCatalog>().Plugins.ShouldHaveSingleItem();

        loaded.Name.ShouldBe("Hanzo.Zt.TestPlugin");
        loaded.Registrations.Select(r => r.Service).ShouldBe([typeof(IBillingProvider), typeof(IIdentityProvider)], ignoreOrder: true);
    }

    [Fact]
    public void Type_that_fails_to_construct_is_reported_with_the_plugin_name_and_spares_other_services()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt().AddPlugins(plugin.Root);
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<ZtPluginException>(() => provider.GetRequiredService<IIdentityProvider>());

        error.PluginName.ShouldBe("Hanzo.Zt.TestPlugin");
        error.ErrorCode.ShouldBe(ZtErrorCode.Plugin);
        error.Message.ShouldContain("Hanzo.Zt.TestPlugin.BrokenIdentityProvider");
        error.Message.ShouldContain("identity store is not configured");
        provider.GetRequiredService<IBillingProvider>().ShouldNotBeNull();
    }

    [Fact]
    public void Folder_without_its_main_assembly_is_reported_by_name()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "EmptyPlugin"));
        File.WriteAllText(Path.Combine(_scratch, "EmptyPlugin", "README.txt"), "nothing here");

        var error = Should.Throw<ZtPluginException>(() => new ServiceCollection().AddHanzoZt().AddPlugins(_scratch));

        error.PluginName.ShouldBe("EmptyPlugin");
        error.Message.ShouldContain("no main assembly");
        error.Message.ShouldContain("EmptyPlugin.dll");
    }

    [Fact]
    public void File_that_is_not_an_assembly_is_reported_by_name()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "Garbage"));
        File.WriteAllBytes(Path.Combine(_scratch, "Garbage", "Garbage.dll"), [0x4d, 0x5a, 1, 2, 3, 4, 5, 6, 7, 8]);

        var error = Should.Throw<ZtPluginException>(() => new ServiceCollection().AddHanzoZt().AddPlugins(_scratch));

        error.PluginName.ShouldBe("Garbage");
        error.Message.ShouldContain("could not be loaded as a .NET assembly");
    }

    [Fact]
    public void Missing_plugin_directory_is_a_configuration_error()
    {
        var missing = Path.Combine(_scratch, "does-not-exist");

        Should.Throw<ZtConfigurationException>(() => new ServiceCollection().AddHanzoZt().AddPlugins(missing))
            .Message.ShouldContain($"plugin directory '{missing}' does not exist");
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
