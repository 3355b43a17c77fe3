using Hanzo.Zt.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.TestPlugin;

/// <summary>Registers the settings the billing provider needs, read from configuration when there is one.</summary>
public sealed class TestPluginEntryPoint : IZtPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration? configuration)
    {
        var balance = long.TryParse(configuration?["TestPlugin:BalanceCents"], out var b) ? b : 1234;
        services.AddSingleton(new PluginSettings { BalanceCents = balance });
    }
}
