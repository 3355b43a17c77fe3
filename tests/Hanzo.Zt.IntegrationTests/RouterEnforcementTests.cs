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

    [Fact(Skip = "Quarantined: the echo host can abort the circuit on the garbage bytes before the router cuts it for overrunning its window; needs a host that never reads")]
    public async Task A_dialer_that_ignores_credit_has_its_circuit_cut_by_the_router()
    {
        var setup = await Fabric.CreateServiceAsync("ignore-credit");
        await using var host = await Fabric.StartEchoHostAsync(setup);
        string token = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.ClientIdentity, setup.Service, "Dial");
        await using var dialer = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.ClientIdentity));
        dialer.Link.Send(EdgeFrameKind.Dial, 1, token: token);
        (await dialer.NextAsync(EdgeFrameKind.Dialed, EdgeFrameKind.Fault)).Kind.ShouldBe(EdgeFrameKind.Dialed);

        // Eight windows at once, never granting or waiting for credit.
        var chunk = new byte[EdgeCircuit.MaxChunk];
        for (int sent = 0; sent < 8 * EdgeCircuit.Window; sent += chunk.Length)
        {
            dialer.Link.Send(EdgeFrameKind.Data, 1, payload: chunk);
        }

        var closed = await dialer.NextAsync(EdgeFrameKind.Close);
        closed.Circuit.ShouldBe(1u);
        closed.Reason.ShouldContain("beyond its");
    }

    [Fact]
    public async Task A_dial_the_host_never_answers_times_out_at_the_router()
    {
        var setup = await Fabric.CreateServiceAsync("silent-host");
        string bind = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.HostIdentity, setup.Service, "Bind");
        await using var silentHost = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.HostIdentity));
        silentHost.Link.Send(EdgeFrameKind.Bind, 1, token: bind);
        (await silentHost.NextAsync(EdgeFrameKind.Bound, EdgeFrameKind.Fault)).Kind.ShouldBe(EdgeFrameKind.Bound);
        string dial = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.ClientIdentity, setup.Service, "Dial");
        await using var dialer = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.ClientIdentity));

        dialer.Link.Send(EdgeFrameKind.Dial, 7, token: dial);

        (await silentHost.NextAsync(EdgeFrameKind.Connect)).Kind.ShouldBe(EdgeFrameKind.Connect);
        var fault = await dialer.NextAsync(EdgeFrameKind.Fault, EdgeFrameKind.Dialed);
        fault.Kind.ShouldBe(EdgeFrameKind.Fault);
        fault.Reason.ShouldContain("did not answer");
    }

    [Fact]
    public async Task One_dial_session_token_opens_a_bounded_number_of_circuits()
    {
        var setup = await Fabric.CreateServiceAsync("token-flood");
        string bind = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.HostIdentity, setup.Service, "Bind");
        await using var silentHost = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.HostIdentity));
        silentHost.Link.Send(EdgeFrameKind.Bind, 1, token: bind);
        (await silentHost.NextAsync(EdgeFrameKind.Bound, EdgeFrameKind.Fault)).Kind.ShouldBe(EdgeFrameKind.Bound);
        string dial = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.ClientIdentity, setup.Service, "Dial");
        await using var dialer = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.ClientIdentity));

        for (uint circuit = 1; circuit <= 300; circuit++)
        {
            dialer.Link.Send(EdgeFrameKind.Dial, circuit, token: dial);
        }

        var fault = await dialer.NextAsync(EdgeFrameKind.Fault);
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
