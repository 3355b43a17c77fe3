using System.Text;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.IntegrationTests;

public sealed class DialTests(FabricFixture fabric) : IClassFixture<FabricFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dial_reaches_the_host_that_bound_the_service_and_bytes_come_back()
    {
        var setup = await fabric.CreateServiceAsync("echo");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = EchoAsync(listener);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);

        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        var message = Encoding.UTF8.GetBytes("hello through the fabric");
        await connection.WriteAsync(message);
        var echoed = new byte[message.Length];
        await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);

        echoed.ShouldBe(message);
        connection.PeerIdentity.ShouldBe(setup.HostId);
    }

    private static async Task EchoAsync(ZtListener listener)
    {
        while (true)
        {
            var connection = await listener.AcceptAsync();
            _ = Task.Run(async () =>
            {
                await using (connection)
                {
                    await connection.CopyToAsync(connection);
                }
            });
        }
    }
}
