using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing.Ledger;

/// <summary>Registers the embedded ledger as the billing provider, for self-hosting without Hanzo Commerce.</summary>
public static class LedgerBillingExtensions
{
    /// <summary>
    /// Makes <see cref="LedgerBillingProvider"/> over a <see cref="LedgerStore"/> in <paramref name="dataDirectory"/>
    /// (or <c>HanzoZt:Billing:Ledger:DataDirectory</c>) the billing provider, and adds the billing engine
    /// (<c>AddUsageMetering()</c>).
    /// </summary>
    public static IZtBuilder AddLedgerBilling(this IZtBuilder builder, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddLedgerServices(builder.Services, configuration: null);
        if (dataDirectory is not null) builder.Services.Configure<LedgerBillingOptions>(o => o.DataDirectory = dataDirectory);
        builder.AddBilling<LedgerBillingProvider>();
        return builder.AddUsageMetering();
    }

    internal static void AddLedgerServices(IServiceCollection services, IConfiguration? configuration)
    {
        services.AddOptions<LedgerBillingOptions>()
            .Configure<IServiceProvider>((options, sp) =>
                (configuration ?? sp.GetService<IConfiguration>())?.GetSection(LedgerBillingOptions.SectionName).Bind(options))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "the embedded ledger needs HanzoZt:Billing:Ledger:DataDirectory")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var directory = sp.GetRequiredService<IOptions<LedgerBillingOptions>>().Value.DataDirectory!;
            return LedgerStore.OpenAsync(directory).GetAwaiter().GetResult();
        });
    }
}

/// <summary>
/// The plugin entry point, for hosts that load this assembly with <c>AddPlugins(directory)</c>: scanning
/// registers <see cref="LedgerBillingProvider"/>; this adds the <see cref="LedgerStore"/> it needs.
/// </summary>
public sealed class LedgerBillingPlugin : IZtPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration? configuration) =>
        LedgerBillingExtensions.AddLedgerServices(services, configuration);
}
