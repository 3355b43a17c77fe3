using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ZtService1.Tests;

/// <summary>The greeter served and called over ZT, on a whole network inside the test (controller, router, ledger).</summary>
public sealed class GreeterTests
{
    [Fact]
    public async Task The_greeter_answers_a_caller_over_zt()
    {
        await using var network = await ZtTestNetwork.StartAsync();
        var service = await network.CreateServiceAsync("greeter");
        string address = $"zt://{service.Name}";
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HanzoZt:ControllerUrl"] = network.ControllerUrl.ToString(),
            ["HanzoZt:IdentityFile"] = service.Host.IdentityFile,
            ["HanzoZt:Billing:Enabled"] = "false",
            ["Greeter:Address"] = address,
        }).Build();
        await using var host = await StartAsync(new ServiceCollection().AddGreeterHost(settings));
        // The service binds in the background; calls made before the router confirms the bind fail (and are retried by later calls).
        await host.GetRequiredService<ZapServiceHost<IGreeter>>().WhenBound.WaitAsync(TimeSpan.FromSeconds(30));

        var callers = new ServiceCollection();
        callers.AddSingleton(_ => ZtContext.FromIdentityFile(service.Client.IdentityFile));
        callers.AddHanzoZt().AddTransport<ZtTransport>().AddZapClient<IGreeter>(address);
        await using var caller = await StartAsync(callers);

        string greeting = await caller.GetRequiredService<IGreeter>().GreetAsync("ZT", CancellationToken.None);

        Assert.Equal("Hello, ZT!", greeting);
    }

    private static async Task<ServiceProvider> StartAsync(IServiceCollection services)
    {
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return provider;
    }
}
