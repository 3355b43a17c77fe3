using Hanzo.Zt.Testing;

namespace Hanzo.Zt.AspNetCore.Tests;

/// <summary>A test network and the test application serving one of its services from its own process.</summary>
public sealed class ServedOverZtFixture : IAsyncLifetime
{
    public ZtTestNetwork Network { get; private set; } = null!;

    public ZtTestService Service { get; private set; } = null!;

    internal ServingProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Network = await ZtTestNetwork.StartAsync();
        Service = await Network.CreateServiceAsync("web");
        Server = await ServingProcess.StartAsync(Service.Name, Service.Host.IdentityFile);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        if (Network is not null) await Network.DisposeAsync();
    }
}
