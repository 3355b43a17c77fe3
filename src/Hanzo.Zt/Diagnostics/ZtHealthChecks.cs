using Hanzo.Zt.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of the fabric: the controller, the router links and billing.</summary>
public static class ZtHealthChecks
{
    internal const string NoContext = "no ZtContext is registered: call services.AddHanzoZt()";

    /// <summary>
    /// Adds <c>zt-controller</c> (<see cref="ZtControllerHealthCheck"/>), <c>zt-router</c>
    /// (<see cref="ZtRouterHealthCheck"/>) and <c>zt-billing</c> (<see cref="ZtBillingHealthCheck"/>), tagged
    /// <c>zt</c> and any of <paramref name="tags"/>.
    /// </summary>
    public static IHealthChecksBuilder AddHanzoZt(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] all = ["zt", .. tags ?? []];
        return builder
            .AddCheck<ZtControllerHealthCheck>("zt-controller", tags: all)
            .AddCheck<ZtRouterHealthCheck>("zt-router", tags: all)
            .AddCheck<ZtBillingHealthCheck>("zt-billing", tags: all);
    }
}
