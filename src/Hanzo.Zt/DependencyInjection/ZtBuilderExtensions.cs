using Hanzo.Zt.Billing;
using Hanzo.Zt.Identity;
using Hanzo.Zt.NatTraversal;
using Hanzo.Zt.Plugins;
using Hanzo.Zt.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

    /// <summary>Adds a transport for the URI schemes it names; a later transport for the same scheme wins.</summary>
    public static IZtBuilder AddTransport<T>(this IZtBuilder builder)
        where T : class, IZtTransport
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<T>();
        builder.Services.AddSingleton<IZtTransport>(sp => sp.GetRequiredService<T>());
        return builder;
    }

    /// <summary>Makes <typeparamref name="T"/> the billing provider, replacing any registered before.</summary>
    public static IZtBuilder AddBilling<T>(this IZtBuilder builder)
        where T : class, IBillingProvider =>
        builder.ReplaceSingleton<IBillingProvider, T>();

    /// <summary>Makes <typeparamref name="T"/> the NAT traversal implementation, replacing any registered before.</summary>
    public static IZtBuilder AddNatTraversal<T>(this IZtBuilder builder)
        where T : class, INatTraversal =>
        builder.ReplaceSingleton<INatTraversal, T>();

    /// <summary>Makes <typeparamref name="T"/> the identity provider, replacing any registered before.</summary>
    public static IZtBuilder AddIdentityProvider<T>(this IZtBuilder builder)
        where T : class, IIdentityProvider =>
        builder.ReplaceSingleton<IIdentityProvider, T>();

    private static IZtBuilder ReplaceSingleton<TService, TImplementation>(this IZtBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<TService>();
        builder.Services.AddSingleton<TService, TImplementation>();
        return builder;
    }
}
