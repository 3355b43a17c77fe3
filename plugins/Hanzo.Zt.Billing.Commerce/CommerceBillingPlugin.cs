using Hanzo.Zt.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.Billing.Commerce;

/// <summary>
/// The plugin entry point, for hosts that load this assembly with <c>AddPlugins(directory)</c>: scanning
/// registers <see cref="CommerceBillingProvider"/>; this adds its options and resilient HTTP client.
/// </summary>
public sealed class CommerceBillingPlugin : IZtPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration? configuration) =>
        CommerceBillingExtensions.AddCommerceServices(services, configuration);
}
