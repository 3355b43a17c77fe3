using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.DependencyInjection;

internal sealed class ZtBuilder(IServiceCollection services) : IZtBuilder
{
    public IServiceCollection Services { get; } = services;
}
