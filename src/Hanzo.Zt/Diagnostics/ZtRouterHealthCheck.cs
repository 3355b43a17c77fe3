using Hanzo.Zt.Fabric;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hanzo.Zt.Diagnostics;

/// <summary>
/// The links to edge routers this identity opened (for dials and binds): healthy when every one is up (or none was
/// needed yet), degraded when some are down while another carries the traffic, unhealthy when all are down
/// (they are re-established with backoff; the description says why they went).
/// </summary>
public sealed class ZtRouterHealthCheck(IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (services.GetService<ZtContext>() is not { } zt)
        {
            return HealthCheckResult.Unhealthy(ZtHealthChecks.NoContext);
        }

        var links = zt.GetRouterLinks();
        var data = links.ToDictionary(l => l.Router, l => (object)(l.Up ? "up" : "down: " + l.Reason));
        var down = links.Where(l => !l.Up).ToList();
        if (links.Count == 0)
        {
            return HealthCheckResult.Healthy("no router link was needed yet", data);
        }

        if (down.Count == 0)
        {
            return HealthCheckResult.Healthy($"{links.Count} router link(s) up", data);
        }

        string reasons = string.Join("; ", down.Select(l => $"{l.Router}: {l.Reason}"));
        return down.Count < links.Count
            ? HealthCheckResult.Degraded($"{down.Count} of {links.Count} router links down ({reasons})", data: data)
            : HealthCheckResult.Unhealthy($"every router link is down ({reasons}); reconnecting with backoff", data: data);
    }
}
