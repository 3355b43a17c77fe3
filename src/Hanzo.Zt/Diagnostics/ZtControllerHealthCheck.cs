using Hanzo.Zt.Fabric;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hanzo.Zt.Diagnostics;

/// <summary>
/// Healthy when the controller answers this identity (signing in again if its API session lapsed) with the
/// services it may see; unhealthy with the controller's error otherwise.
/// </summary>
public sealed class ZtControllerHealthCheck(IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ZtContext>() is not { } zt)
        {
            return HealthCheckResult.Unhealthy(ZtHealthChecks.NoContext);
        }

        try
        {
            var visible = await zt.GetServicesAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(
                $"the controller at {zt.ControllerUrl} answers; {visible.Count} service(s) visible",
                new Dictionary<string, object> { ["services"] = visible.Count });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the controller at {zt.ControllerUrl} does not answer: {e.Message}", e);
        }
    }
}
