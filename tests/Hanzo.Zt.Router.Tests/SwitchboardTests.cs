using System.Text;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Router.Tests;

/// <summary>Splicing: binds, dials, relaying and closing, through the switchboard's frames over real edge links.</summary>
public sealed class SwitchboardTests : IAsyncLifetime
{
    private readonly SwitchboardHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_bind_with_a_Bind_token_of_the_links_identity_is_confirmed_with_the_service_id()
    {
        var host = await _h.ConnectAsync("host");

        host.Send(EdgeFrameKind.Bind, 7, 0, _h.Token("host", SessionType.Bind, serviceId: "svc-db"));

        (await host.ExpectAsync(EdgeFrameKind.Bound, 7)).Token.ShouldBe("svc-db");
    }

    [Fact]
    public async Task A_dial_reaches_the_bound_host_naming_the_dialer_and_the_dialer_learns_the_host_when_it_accepts()
    {
        var host = await _h.BoundHostAsync("host");
        var dialer = await _h.ConnectAsync("web");

        dialer.Send(EdgeFrameKind.Dial, 1, token: _h.Token("web", SessionType.Dial));
        var connect = await host.NextAsync();
        connect.Kind.ShouldBe(EdgeFrameKind.Connect);
        connect.Token.ShouldBe("svc-echo");
        connect.Peer.ShouldBe("web");
        _h.Switchboard.CircuitCount.ShouldBe(0);

        host.Send(EdgeFrameKind.Dialed, connect.Circuit);

        (await dialer.ExpectAsync(EdgeFrameKind.Dialed, 1)).Peer.ShouldBe("host");
        _h.Switchboard.CircuitCount.ShouldBe(1);
    }

    [Fact]
    public async Task Data_is_relayed_each_way_unchanged_with_its_sequence()
    {
        var host = await _h.BoundHostAsync("host");
        var dialer = await _h.ConnectAsync("web");
        uint hostCircuit = await _h.SpliceAsync(dialer, host);

        dialer.Send(EdgeFrameKind.Data, 1, payload: Encoding.UTF8.GetBytes("ping"), sequence: 5);
        var toHost = await host.ExpectAsync(EdgeFrameKind.Data, hostCircuit);
        host.Send(EdgeFrameKind.Data, hostCircuit, payload: Encoding.UTF8.GetBytes("pong"), sequence: 9);
        var toDialer = await dialer.ExpectAsync(EdgeFrameKind.Data, 1);

        (toHost.Reason, toHost.Sequence).ShouldBe(("ping", 5UL));
        (toDialer.Reason, toDialer.Sequence).ShouldBe(("pong", 9UL));
    }

    [Fact]
    public async Task A_circuit_ends_when_both_sides_have_closed_it()
    {
        var host = await _h.BoundHostAsync("host");
        var dialer = await _h.ConnectAsync("web");
        uint hostCircuit = await _h.SpliceAsync(dialer, host);

        dialer.Send(EdgeFrameKind.Close, 1);
        await host.ExpectAsync(EdgeFrameKind.Close, hostCircuit);
        _h.Switchboard.CircuitCount.ShouldBe(1); // half closed: the host may still send

        host.Send(EdgeFrameKind.Close, hostCircuit);
        await dialer.ExpectAsync(EdgeFrameKind.Close, 1);
        _h.Switchboard.CircuitCount.ShouldBe(0);
    }

    [Fact]
    public async Task A_dial_with_no_bound_host_fails_with_ServiceNotFound()
    {
        var dialer = await _h.ConnectAsync("web");

        dialer.Send(EdgeFrameKind.Dial, 1, token: _h.Token("web", SessionType.Dial));

        var fault = await dialer.ExpectAsync(EdgeFrameKind.Fault, 1);
        fault.Value.ShouldBe((ulong)ZtErrorCode.ServiceNotFound);
        fault.Reason.ShouldContain("'echo'");
    }

    [Fact]
    public async Task The_host_bound_at_the_lowest_cost_gets_the_dial()
    {
        var dear = await _h.BoundHostAsync("dear", cost: 5);
        var cheap = await _h.BoundHostAsync("cheap", cost: 1);
        var dialer = await _h.ConnectAsync("web");

        dialer.Send(EdgeFrameKind.Dial, 1, token: _h.Token("web", SessionType.Dial));

        (await cheap.NextAsync()).Kind.ShouldBe(EdgeFrameKind.Connect);
        await dear.SyncAsync(42); // nothing but the pong: no Connect went to the dearer host
    }

    [Fact]
    public async Task A_host_refusing_a_dial_passes_its_code_and_reason_to_the_dialer()
    {
        var host = await _h.BoundHostAsync("host");
        var dialer = await _h.ConnectAsync("web");
        dialer.Send(EdgeFrameKind.Dial, 1, token: _h.Token("web", SessionType.Dial));
        var connect = await host.NextAsync();

        host.Send(EdgeFrameKind.Fault, connect.Circuit, (ulong)ZtErrorCode.AccessDenied, payload: Encoding.UTF8.GetBytes("not today"));

        var fault = await dialer.ExpectAsync(EdgeFrameKind.Fault, 1);
        (fault.Value, fault.Reason).ShouldBe(((ulong)ZtErrorCode.AccessDenied, "not today"));
        _h.Switchboard.CircuitCount.ShouldBe(0);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused_as_NotAuthenticated()
    {
        var host = await _h.ConnectAsync("host");

        host.Send(EdgeFrameKind.Bind, 7, 0, _h.ForgedToken("host", SessionType.Bind));

        (await host.ExpectAsync(EdgeFrameKind.Fault, 7)).Value.ShouldBe((ulong)ZtErrorCode.NotAuthenticated);
    }

    [Fact]
    public async Task Another_identitys_token_is_refused_as_AccessDenied()
    {
        var host = await _h.ConnectAsync("host");

        host.Send(EdgeFrameKind.Bind, 7, 0, _h.Token("someone-else", SessionType.Bind));

        var fault = await host.ExpectAsync(EdgeFrameKind.Fault, 7);
        fault.Value.ShouldBe((ulong)ZtErrorCode.AccessDenied);
        fault.Reason.ShouldContain("'someone-else'");
    }

    [Fact]
    public async Task A_Dial_token_does_not_bind()
    {
        var host = await _h.ConnectAsync("host");

        host.Send(EdgeFrameKind.Bind, 7, 0, _h.Token("host", SessionType.Dial));

        var fault = await host.ExpectAsync(EdgeFrameKind.Fault, 7);
        fault.Value.ShouldBe((ulong)ZtErrorCode.AccessDenied);
        fault.Reason.ShouldContain("not a Bind token");
    }

    [Fact]
    public async Task A_revoked_session_cannot_dial()
    {
        await _h.BoundHostAsync("host");
        var dialer = await _h.ConnectAsync("web");
        string session = _h.NewSessionId();
        _h.Feed.Revoke(RevocationTypes.Session, session, expiresAt: null);

        dialer.Send(EdgeFrameKind.Dial, 1, token: _h.Token("web", SessionType.Dial, sessionId: session));

        var fault = await dialer.ExpectAsync(EdgeFrameKind.Fault, 1);
        (fault.Value, fault.Reason).ShouldBe(((ulong)ZtErrorCode.AccessDenied, "the session has been revoked"));
    }

    [Fact]
    public async Task A_ping_is_answered_with_its_value()
    {
        var peer = await _h.ConnectAsync("web");

        peer.Send(EdgeFrameKind.Ping, 3, 77);

        (await peer.ExpectAsync(EdgeFrameKind.Pong, 3)).Value.ShouldBe(77UL);
    }
}
