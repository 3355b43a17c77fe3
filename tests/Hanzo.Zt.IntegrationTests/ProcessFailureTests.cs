using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Parts of a fabric of real processes fail or restart under a client (this test process) that holds a
/// connection through them.
/// </summary>
public sealed class ProcessFailureTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_restarted_router_process_gets_the_host_bound_again_and_the_client_dials_anew()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var setup = await fabric.CreateServiceAsync("router-restart");
        await using var host = await fabric.StartEchoHostAsync(setup);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        var before = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(before, "before the restart");

        await fabric.RestartRouterAsync();
        (await Should.ThrowAsync<ZtConnectionException>(Echo.ReadUntilFailureAsync(before).WaitAsync(Guard))).ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
        await before.DisposeAsync();
        await host.WaitForLineAsync("re-bound");

        await using var after = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(after, "after the restart");
    }

    [Fact]
    public async Task With_the_controller_stopped_established_connections_continue_and_new_dials_succeed()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var setup = await fabric.CreateServiceAsync("controller-down");
        await using var host = await fabric.StartEchoHostAsync(setup);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var established = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(established, "while the controller runs");

        (await fabric.StopControllerAsync()).ShouldBe(0, fabric.Controller.Transcript);

        await Echo.RoundTripAsync(established, "after the controller stopped");
        await using var fresh = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(fresh, "a new dial without the controller");
    }
}
