using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.Plugins;

/// <summary>
/// Optional entry point of a plugin assembly. Implementations of the extension points found in a plugin
/// are registered automatically; a plugin implements this to register anything else (options, helpers)
/// or to replace what scanning registered. It needs a public parameterless constructor.
/// </summary>
public interface IZtPlugin
{
    /// <summary>Adds the plugin's services.</summary>
    /// <param name="services">The host's service collection.</param>
    /// <param name="configuration">The host configuration, when the host has one.</param>
    void ConfigureServices(IServiceCollection services, IConfiguration? configuration);
}
