using Hanzo.Zt.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>The capabilities added to Hanzo ZT through its <see cref="IZtBuilder"/>.</summary>
public static class ZtBuilderExtensions
{
    /// <summary>
    /// Loads every plugin under <paramref name="directory"/> (one folder per plugin, main assembly
    /// <c>&lt;folder&gt;/&lt;folder&gt;.dll</c>) and registers the extension points they implement.
    /// </summary>
    /// <param name="builder">The ZT builder.</param>
    /// <param name="directory">The folder holding one sub-folder per plugin.</param>
    /// <param name="configuration">
    /// The configuration handed to each plugin's <see cref="IZtPlugin.ConfigureServices"/>; when null, the
    /// host's configuration already registered in the service collection, if any.
    /// </param>
    /// <exception cref="ZtConfigurationException">The directory does not exist.</exception>
    /// <exception cref="ZtPluginException">A plugin is missing its assembly, is not a valid assembly, or its entry point failed.</exception>
    public static IZtBuilder AddPlugins(this IZtBuilder builder, string directory, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ZtPluginLoader.LoadDirectory(builder.Services, directory, configuration, ZtServiceCollectionExtensions.PluginCatalog(builder.Services));
        return builder;
    }
}
