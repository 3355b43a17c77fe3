using System.Text;
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
    public async Task Killing_the_host_process_mid_stream_ends_the_client_connection_with_ConnectionClosed()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var setup = await fabric.CreateServiceAsync("killed-host");
        var host = await fabric.StartEchoHostAsync(setup);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await EchoAsync(connection, "before the crash");

        await host.KillAsync();
        var failure = await Should.ThrowAsync<ZtConnectionException>(ReadUntilFailureAsync(connection).WaitAsync(Guard));

        failure.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
    }

    [Fact]
    public async Task A_restarted_router_process_gets_the_host_bound_again_and_the_client_dials_anew()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var setup = await fabric.CreateServiceAsync("router-restart");
        await using var host = await fabric.StartEchoHostAsync(setup);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        var before = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await EchoAsync(before, "before the restart");

        await fabric.RestartRouterAsync();
        (await Should.ThrowAsync<ZtConnectionException>(ReadUntilFailureAsync(before).WaitAsync(Guard))).ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
        await before.DisposeAsync();
        await host.WaitForLineAsync("re-bound");

        await using var after = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await EchoAsync(after, "after the restart");
    }

    [Fact]
    public async Task With_the_controller_stopped_established_connections_continue_and_new_dials_succeed()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var setup = await fabric.CreateServiceAsync("controller-down");
        await using var host = await fabric.StartEchoHostAsync(setup);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var established = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await EchoAsync(established, "while the controller runs");

        (await fabric.StopControllerAsync()).ShouldBe(0, fabric.Controller.Transcript);

        await EchoAsync(established, "after the controller stopped");
        await using var fresh = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await EchoAsync(fresh, "a new dial without the controller");
    }

    private static async Task EchoAsync(ZtConnection connection, string text)
    {
        var message = Encoding.UTF8.GetBytes(text);
        await connection.WriteAsync(message);
        await connection.FlushAsync();
        var echoed = new byte[message.Length];
        await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);
        Encoding.UTF8.GetString(echoed).ShouldBe(text);
    }

    /// <summary>Reads until the connection fails; a clean end of stream is not what these tests expect.</summary>
    private static async Task ReadUntilFailureAsync(ZtConnection connection)
    {
        var buffer = new byte[4096];
        while (await connection.ReadAsync(buffer) > 0)
        {
        }

        throw new ShouldAssertException("the connection ended cleanly instead of failing");
    }
}
