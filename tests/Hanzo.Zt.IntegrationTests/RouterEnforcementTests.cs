using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// The router process enforces, within a poll of the controller, what the controller revokes, and refuses peers
/// that would make it hold state or queue bytes without bound. Each test performs the attack against
/// <c>zt controller run</c> and <c>zt router run</c> processes.
/// </summary>
public sealed class RouterEnforcementTests(ProcessFabricFixture fixture) : IClassFixture<ProcessFabricFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private ProcessFabric Fabric => fixture.Fabric;

    private async Task<(ServiceSetup Setup, ZtChildProcess Host, ZtContext Client, ZtConnection Connection)> ConnectedAsync(string prefix)
    {
        var setup = await Fabric.CreateServiceAsync(prefix);
        var host = await Fabric.StartEchoHostAsync(setup);
        var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(connection, "before");
        return (setup, host, client, connection);
    }

    /// <summary>
    /// A service bound by a raw-edge host that does nothing by itself (it answers no connect, reads nothing, grants no
    /// credit), and a raw-edge dialer holding a Dial session token for it: whatever happens next is the router's doing.
    /// </summary>
    private async Task<RawCircuit> SilentHostAndDialerAsync(string prefix)
    {
        var setup = await Fabric.CreateServiceAsync(prefix);
        var host = await RawEdge.BindAsync(Fabric, setup);
        string token = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.ClientIdentity, setup.Service, "Dial");
        var dialer = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.ClientIdentity));
        return new RawCircuit(host, dialer, token);
    }

    private sealed record RawCircuit(RawEdge Host, RawEdge Dialer, string DialToken) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Dialer.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Revoking_the_dial_session_closes_its_circuit_at_the_router()
    {
        var (_, host, client, connection) = await ConnectedAsync("revoke-session");
        await using (host)
        await using (client)
        await using (connection)
        {
            await Fabric.Admin.DeleteSessionAsync(connection.SessionId);

            await Should.ThrowAsync<ZtConnectionException>(Echo.ReadUntilFailureAsync(connection).WaitAsync(Guard));
        }
    }

    [Fact]
    public async Task Deleting_the_dial_policy_closes_open_circuits()
    {
        var (setup, host, client, connection) = await ConnectedAsync("delete-dial-policy");
        await using (host)
        await using (client)
        await using (connection)
        {
            foreach (var policy in await Fabric.Admin.PolicyIdsOfAsync(setup.Service + "-client"))
            {
                await Fabric.Admin.DeleteAsync("service-policies/" + policy);
            }

            await Should.ThrowAsync<ZtConnectionException>(Echo.ReadUntilFailureAsync(connection).WaitAsync(Guard));
        }
    }

    [Fact]
    public async Task Deleting_the_bind_policy_removes_the_bind_and_closes_its_circuits()
    {
        var (setup, host, client, connection) = await ConnectedAsync("delete-bind-policy");
        await using (host)
        await using (client)
        await using (connection)
        {
            foreach (var policy in await Fabric.Admin.PolicyIdsOfAsync(setup.Service + "-host"))
            {
                await Fabric.Admin.DeleteAsync("service-policies/" + policy);
            }

            await Should.ThrowAsync<ZtConnectionException>(Echo.ReadUntilFailureAsync(connection).WaitAsync(Guard));
            await using var other = ZtContext.FromIdentityFile(setup.ClientIdentity);
            await Should.ThrowAsync<ZtException>(other.DialAsync(setup.Service).WaitAsync(Guard));
        }
    }

    [Fact]
    public async Task Revoking_the_dialer_certificate_closes_its_link()
    {
        var (setup, host, client, connection) = await ConnectedAsync("revoke-certificate");
        await using (host)
        await using (client)
        await using (connection)
        {
            string serial = IdentityFile.Load(setup.ClientIdentity).Certificate.SerialNumber;

            await Fabric.Admin.PostAsync("revocations", new { type = "CERTIFICATE", target = serial, reason = "stolen laptop" });

            await Should.ThrowAsync<ZtConnectionException>(Echo.ReadUntilFailureAsync(connection).WaitAsync(Guard));
        }
    }

    [Fact]
    public async Task A_dialer_that_ignores_credit_has_its_circuit_cut_by_the_router()
    {
        await using var raw = await SilentHostAndDialerAsync("ignore-credit");
        raw.Dialer.Link.Send(EdgeFrameKind.Dial, 1, token: raw.DialToken);
        var connect = await raw.Host.NextAsync(EdgeFrameKind.Connect);
        raw.Host.Link.Send(EdgeFrameKind.Dialed, connect.Circuit);
        (await raw.Dialer.NextAsync(EdgeFrameKind.Dialed, EdgeFrameKind.Fault)).Kind.ShouldBe(EdgeFrameKind.Dialed);

        // Eight windows at once, never waiting for credit; the host never reads, so only the router can stop it.
        var chunk = new byte[EdgeCircuit.MaxChunk];
        for (int sent = 0; sent < 8 * EdgeCircuit.Window; sent += chunk.Length)
        {
            raw.Dialer.Link.Send(EdgeFrameKind.Data, 1, payload: chunk);
        }

        var dialerClosed = await raw.Dialer.NextAsync(EdgeFrameKind.Close);
        var hostClosed = await raw.Host.NextAsync(EdgeFrameKind.Close);
        dialerClosed.Circuit.ShouldBe(1u);
        dialerClosed.Reason.ShouldContain($"beyond its {EdgeCircuit.Window}-byte window");
        hostClosed.Circuit.ShouldBe(connect.Circuit);
        hostClosed.Reason.ShouldContain($"beyond its {EdgeCircuit.Window}-byte window");
        await Fabric.Router.WaitForLineAsync($"circuit 1 cut: the sender went beyond its {EdgeCircuit.Window}-byte window");

        // The host's link outlives the cut: it answers, and its bind still takes the next dial.
        raw.Host.Link.Send(EdgeFrameKind.Ping, 0, 4242);
        (await raw.Host.NextAsync(EdgeFrameKind.Pong)).Value.ShouldBe(4242ul);
        raw.Dialer.Link.Send(EdgeFrameKind.Dial, 2, token: raw.DialToken);
        (await raw.Host.NextAsync(EdgeFrameKind.Connect)).Circuit.ShouldNotBe(connect.Circuit);
        raw.Host.Link.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task A_dial_the_host_never_answers_times_out_at_the_router()
    {
        await using var raw = await SilentHostAndDialerAsync("silent-host");

        raw.Dialer.Link.Send(EdgeFrameKind.Dial, 7, token: raw.DialToken);

        (await raw.Host.NextAsync(EdgeFrameKind.Connect)).Kind.ShouldBe(EdgeFrameKind.Connect);
        var fault = await raw.Dialer.NextAsync(EdgeFrameKind.Fault, EdgeFrameKind.Dialed);
        fault.Kind.ShouldBe(EdgeFrameKind.Fault);
        fault.Reason.ShouldContain("did not answer");
    }

    [Fact]
    public async Task One_dial_session_token_opens_a_bounded_number_of_circuits()
    {
        await using var raw = await SilentHostAndDialerAsync("token-flood");

        for (uint circuit = 1; circuit <= 300; circuit++)
        {
            raw.Dialer.Link.Send(EdgeFrameKind.Dial, circuit, token: raw.DialToken);
        }

        var fault = await raw.Dialer.NextAsync(EdgeFrameKind.Fault);
        fault.Reason.ShouldContain("the most one session token may open");
        fault.Circuit.ShouldBeGreaterThan(1u);
    }

    [Fact]
    public async Task One_link_holds_a_bounded_number_of_binds()
    {
        var setup = await Fabric.CreateServiceAsync("bind-flood");
        string bind = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.HostIdentity, setup.Service, "Bind");
        await using var host = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.HostIdentity));

        for (uint id = 1; id <= 100; id++)
        {
            host.Link.Send(EdgeFrameKind.Bind, id, token: bind);
        }

        var fault = await host.NextAsync(EdgeFrameKind.Fault);
        fault.Reason.ShouldContain("binds, the most a router allows");
    }
}
