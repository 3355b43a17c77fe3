using Hanzo.Zt.Billing;
using Hanzo.Zt.Configuration;
using Hanzo.Zt.Credentials;
using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Plugins;
using Hanzo.Zt.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Hanzo ZT in a service collection.</summary>
public static class ZtServiceCollectionExtensions
{
    /// <summary>
    /// Adds Hanzo ZT, the whole fabric from options: options bound from the <c>HanzoZt</c> configuration section
    /// (validated when the host starts); a <see cref="ZtContext"/> singleton made on first use from
    /// <c>HanzoZt:IdentityFile</c> (an enrolled identity) or, without one, by signing in to
    /// <c>HanzoZt:ControllerUrl</c> with a Hanzo IAM token (<c>HanzoZt:ApiKey</c>, <c>HANZO_API_KEY</c>,
    /// <c>~/.hanzo/auth.json</c>); the <c>zt://</c> transport; NAT traversal by hole punching (direct paths beside the relay; replace it with
    /// <c>AddNatTraversal&lt;T&gt;()</c>); and the billing engine (balance gate, meter, durable
    /// outbox and its delivery), on by default, whose provider comes from <c>AddCommerceBilling()</c>,
    /// <c>AddLedgerBilling()</c> or <c>AddBilling&lt;T&gt;()</c>. At shutdown, open connections are closed and their
    /// usage recorded. Every default is registered with <c>TryAdd</c>, so an application can replace it. Safe to
    /// call more than once.
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
        services.TryAddSingleton<Hanzo.Zt.NatTraversal.INatTraversal>(sp => new Hanzo.Zt.NatTraversal.HolePunch.HolePunchNatTraversal(
            logger: sp.GetService<Microsoft.Extensions.Logging.ILogger<Hanzo.Zt.NatTraversal.HolePunch.HolePunchNatTraversal>>()));
        services.TryAddSingleton(PluginCatalog(services));

        var builder = new Hanzo.Zt.DependencyInjection.ZtBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(ZtContextHolder)))
        {
            // Stopped after the application's hosted services (registered later), so their connections close first.
            services.AddSingleton<IHostedService, ZtFabricLifetime>();
            services.AddSingleton<ZtContextHolder>();
            services.TryAddSingleton(sp => sp.GetRequiredService<ZtContextHolder>().Context);
            services.AddSingleton<IZtTransport>(sp => new ZtTransport(() => sp.GetRequiredService<ZtContext>()));
            services.AddSingleton<IPostConfigureOptions<ZtOptions>>(sp => new OutboxPathDefault(services, sp));
            builder.AddUsageMetering();
        }

        return builder;
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

    // One outbox per application and billing provider unless a path is configured.
    private sealed class OutboxPathDefault(IServiceCollection registrations, IServiceProvider services) : IPostConfigureOptions<ZtOptions>
    {
        public void PostConfigure(string? name, ZtOptions options)
        {
            if (!string.IsNullOrWhiteSpace(options.Billing.OutboxPath)) return;
            var provider = registrations.LastOrDefault(d => d.ServiceType == typeof(IBillingProvider));
            var providerName = provider?.ImplementationType?.Name ?? provider?.ImplementationInstance?.GetType().Name ?? "no-provider";
            var application = services.GetService<IHostEnvironment>()?.ApplicationName is { Length: > 0 } app
                ? app
                : System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "app";
            options.Billing.OutboxPath = UsageOutbox.DefaultPathFor(application, providerName);
        }
    }

    private static ICredentialSource CreateCredentialSource(ZtOptions options) =>
        options.ApiKey is { Length: > 0 } key
            ? new InMemoryCredentialSource(new ZtCredentials(ZtCredentialKind.ApiKey, key, $"{ZtOptions.SectionName}:{nameof(ZtOptions.ApiKey)}"))
            : new HanzoCredentialResolver();
}
