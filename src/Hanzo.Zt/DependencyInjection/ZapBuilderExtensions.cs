using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// Typed ZAP clients and services in dependency injection. The client and server types come from the source
/// generator (through <see cref="ZapServiceRegistry"/>), so nothing is found by reflection at run time.
/// </summary>
public static class ZapBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="T"/> (a [ZtService] interface or a generated schema client) as a singleton
    /// calling the service at <paramref name="endpoint"/> (<c>tcp://host:port</c>, <c>ws://…</c>, <c>zt://service</c>).
    /// Like an <c>HttpClient</c> or a gRPC channel, it can be constructor-injected anywhere: it connects on its first
    /// call, connects again after the connection is lost (the failed call gets a typed error; the next one
    /// re-dials, with backoff), and its calls are cancellable. A host whose endpoint is away still starts.
    /// </summary>
    /// <exception cref="ZtConfigurationException">The endpoint is not an absolute URI, or <typeparamref name="T"/> has no generated client.</exception>
    public static IZtBuilder AddZapClient<T>(this IZtBuilder builder, string endpoint, Action<ZapConnectionOptions>? configure = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var uri = Parse(endpoint);
        Require<T>();
        var options = new ZapConnectionOptions();
        configure?.Invoke(options);
        builder.Services.AddLogging();
        builder.Services.TryAddSingleton(sp => new ZapClientConnection<T>(
            new ZapChannel(uri, options, Transports(sp, uri), Logger(sp)) { ConnectTimeout = ConnectTimeout(sp) }));
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<ZapClientConnection<T>>().Client);
        return builder;
    }

    /// <summary>
    /// Serves <typeparamref name="TImpl"/> (a singleton) as <typeparamref name="T"/> on <paramref name="endpoint"/>
    /// while the host runs. Binding is retried in the background until it succeeds, and logged when it does.
    /// </summary>
    /// <exception cref="ZtConfigurationException">The endpoint is not an absolute URI, or <typeparamref name="T"/> has no generated server.</exception>
    public static IZtBuilder AddZapService<T, TImpl>(this IZtBuilder builder, string endpoint, Action<ZapConnectionOptions>? configure = null)
        where T : class
        where TImpl : class, T
    {
        ArgumentNullException.ThrowIfNull(builder);
        var uri = Parse(endpoint);
        Require<T>();
        var options = new ZapConnectionOptions();
        configure?.Invoke(options);
        builder.Services.AddLogging();
        builder.Services.TryAddSingleton<TImpl>();
        builder.Services.TryAddSingleton(sp => new ZapServiceHost<T>(uri, () => sp.GetRequiredService<TImpl>(), Transports(sp, uri), options, Logger(sp)));
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ZapServiceHost<T>>());
        return builder;
    }

    private static void Require<T>()
        where T : class
    {
        if (!ZapServiceRegistry.IsRegistered<T>())
        {
            throw new ZtConfigurationException($"{typeof(T).FullName} has no generated ZAP client or server: mark it [ZtService] and reference Hanzo.Zt.Generators as an analyzer");
        }
    }

    private static Uri Parse(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            ? uri
            : throw new ZtConfigurationException($"'{endpoint}' is not a ZAP endpoint such as tcp://127.0.0.1:5923 or zt://calc");

    // tcp:// and ws:// work without any registration; other schemes (zt://) come from the registered transports.
    private static IZtTransportSelector Transports(IServiceProvider sp, Uri uri) =>
        uri.Scheme is "tcp" or "ws" ? ZapTransports.Default : sp.GetService<IZtTransportSelector>() ?? ZapTransports.Default;

    private static TimeSpan ConnectTimeout(IServiceProvider sp) =>
        sp.GetService<Microsoft.Extensions.Options.IOptions<Configuration.ZtOptions>>()?.Value.ConnectTimeout ?? Configuration.ZtDefaults.ConnectTimeout;

    private static ILogger Logger(IServiceProvider sp) => sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hanzo.Zt.Zap");
}
