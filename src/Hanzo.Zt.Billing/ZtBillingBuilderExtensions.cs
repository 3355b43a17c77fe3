using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Hanzo.Zt.Billing;

/// <summary>Registers the billing engine: rate card, balance gate, durable outbox, meter and background delivery.</summary>
public static class ZtBillingBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="RateCard"/>, <see cref="BillingGate"/>, <see cref="UsageOutbox"/>, <see cref="UsageMeter"/>
    /// and the <see cref="UsageDeliveryService"/> hosted service, all from the <c>HanzoZt:Billing</c> options.
    /// The billing provider itself comes from <c>AddBilling&lt;T&gt;()</c>, a plugin, or a provider's own
    /// extension (which calls this). Safe to call more than once.
    /// </summary>
    public static IZtBuilder AddUsageMetering(this IZtBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<RateCard>();
        services.TryAddSingleton<BillingGate>();
        services.TryAddSingleton<UsageOutbox>();
        services.TryAddSingleton<UsageMeter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, UsageDeliveryService>());
        return builder;
    }
}
