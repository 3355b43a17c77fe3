using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// Returned by <c>AddHanzoZt()</c>; every further capability (plugins, transports, billing, ZAP clients
/// and services) is an extension method on it.
/// </summary>
public interface IZtBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }
}
