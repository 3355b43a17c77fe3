using Hanzo.Zt;
using Hanzo.Zt.Configuration;
using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Fabric;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ZtService1;

/// <summary>The wiring, shared by the host and its tests: Hanzo ZT from configuration, the greeter on its zt:// address.</summary>
public static class GreeterHosting
{
    /// <summary>Serves <see cref="Greeter"/> on <c>Greeter:Address</c> (default <c>zt://greeter</c>) as the identity <c>HanzoZt:IdentityFile</c>.</summary>
    public static IServiceCollection AddGreeterHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration);
        services.AddSingleton(sp => ZtContext.FromIdentityFile(
            sp.GetRequiredService<IOptions<ZtOptions>>().Value.IdentityFile
            ?? throw new ZtConfigurationException("HanzoZt:IdentityFile is not set: enroll an identity (zt enroll) and name its file")));
        services.AddHanzoZt()
            .AddTransport<ZtTransport>()
            .AddZapService<IGreeter, Greeter>(configuration["Greeter:Address"] ?? "zt://greeter");
        return services;
    }
}
