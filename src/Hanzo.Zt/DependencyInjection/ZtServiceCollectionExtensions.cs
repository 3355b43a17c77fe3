using Hanzo.Zt.Billing;
using Hanzo.Zt.Configuration;
using Hanzo.Zt.Credentials;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Plugins;
using Hanzo.Zt.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Hanzo ZT in a service collection.</summary>
public static class ZtServiceCollectionExtensions
{
    /// <summary>
    /// Adds Hanzo ZT: options bound from the <c>HanzoZt</c> configuration section (validated when the host
    /// starts), credential resolution, the transport selector and the plugin catalog. Every default is
    /// registered with <c>TryAdd</c>, so an application can replace it. Safe to call more than once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    /// <returns>A builder for plugins, transports, billing and ZAP registrations.</returns>
    public static Hanzo.Zt.DependencyInjection.IZtBuilder AddHanzoZt(this IServiceCollection services, Action<ZtOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Bound only when the container has a configuration, so a bare ServiceCollection works too.
        services.AddOptions<ZtOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(ZtOptions.SectionName).Bind(options))
            .ValidateOnStart();
        if (configure is not null) services.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZtOptions>, ZtOptionsValidator>());

        // The billing engine reads ZtBillingOptions; under AddHanzoZt they are ZtOptions.Billing, one instance,
        // with whatever a billing plugin configures for ZtBillingOptions applied to it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ZtOptions>, BillingOptionsBridge>());
        services.TryAddSingleton<IOptions<ZtBillingOptions>>(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<IOptions<ZtOptions>>().Value.Billing));

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICredentialSource>(sp => CreateCredentialSource(sp.GetRequiredService<IOptions<ZtOptions>>().Value));
        services.TryAddSingleton<IZtTransportSelector, ZtTransportSelector>();
        services.TryAddSingleton(PluginCatalog(services));

        return new Hanzo.Zt.DependencyInjection.ZtBuilder(services);
    }

    internal static ZtPluginCatalog PluginCatalog(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(ZtPluginCatalog))?.ImplementationInstance as ZtPluginCatalog
        ?? new ZtPluginCatalog();

    private sealed class BillingOptionsBridge(
        IEnumerable<IConfigureOptions<ZtBillingOptions>> configures,
        IEnumerable<IPostConfigureOptions<ZtBillingOptions>> postConfigures) : IPostConfigureOptions<ZtOptions>
    {
        public void PostConfigure(string? name, ZtOptions options)
        {
            foreach (var configure in configures) configure.Configure(options.Billing);
            foreach (var postConfigure in postConfigures) postConfigure.PostConfigure(name, options.Billing);
        }
    }

    private static ICredentialSource CreateCredentialSource(ZtOptions options) =>
        options.ApiKey is { Length: > 0 } key
            ? new InMemoryCredentialSource(new ZtCredentials(ZtCredentialKind.ApiKey, key, $"{ZtOptions.SectionName}:{nameof(ZtOptions.ApiKey)}"))
            : new HanzoCredentialResolver();
}
