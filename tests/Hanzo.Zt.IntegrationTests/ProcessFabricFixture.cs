namespace Hanzo.Zt.IntegrationTests;

/// <summary>One fabric of processes shared by the tests of a class that leave the controller and router running.</summary>
public sealed class ProcessFabricFixture : IAsyncLifetime
{
    internal ProcessFabric Fabric { get; private set; } = null!;

    public async Task InitializeAsync() => Fabric = await ProcessFabric.StartAsync();

    public async Task DisposeAsync() => await Fabric.DisposeAsync();
}
