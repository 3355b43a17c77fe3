using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Router.Tests;

/// <summary>What the switchboard enforces beyond splicing: revocations, ended links, credit windows and limits.</summary>
public sealed class SwitchboardGuardTests
{
    [Fact]
    public async Task Revoking_the_Dial_session_cuts_its_circuit_on_both_sides_at_the_next_check()
    {
        await using var h = new SwitchboardHarness();
        var host = await h.BoundHostAsync("host");
        var dialer = await h.ConnectAsync("web");
        string session = h.NewSessionId();
        uint hostCircuit = await h.SpliceAsync(dialer, host, session);

        h.Feed.Revoke(RevocationTypes.Session, session, expiresAt: null);
        h.Switchboard.Enforce();

        foreach (var close in new[] { await dialer.ExpectAsync(EdgeFrameKind.Close, 1), await host.ExpectAsync(EdgeFrameKind.Close, hostCircuit) })
            (close.Value, close.Reason).ShouldBe(((ulong)ZtErrorCode.AccessDenied, "the Dial session was revoked"));
        h.Switchboard.CircuitCount.ShouldBe(0);
    }

    [Fact]
    public async Task Revoking_a_bind_session_unbinds_the_host_so_later_dials_find_none()
    {
        await using var h = new SwitchboardHarness();
        string bindSession = h.NewSessionId();
        var host = await h.BoundHostAsync("host", sessionId: bindSession);
        var dialer = await h.ConnectAsync("web");

        h.Feed.Revoke(RevocationTypes.Session, bindSession, expiresAt: null);
        h.Switchboard.Enforce();

        var fault = await host.ExpectAsync(EdgeFrameKind.Fault, 7);
        (fault.Value, fault.Reason).ShouldBe(((ulong)ZtErrorCode.AccessDenied, "the bind's session was revoked"));
        dialer.Send(EdgeFrameKind.Dial, 1, token: h.Token("web", SessionType.Dial));
        (await dialer.ExpectAsync(EdgeFrameKind.Fault, 1)).Value.ShouldBe((ulong)ZtErrorCode.ServiceNotFound);
    }

    [Fact]
    public async Task A_host_link_that_ends_closes_its_circuits_toward_the_dialer_with_the_reason()
    {
        await using var h = new SwitchboardHarness();
        var host = await h.BoundHostAsync("host");
        var dialer = await h.ConnectAsync("web");
        await h.SpliceAsync(dialer, host);

        h.Switchboard.Remove(host.RouterSide, "the host's link ended");

        var close = await dialer.ExpectAsync(EdgeFrameKind.Close, 1);
        (close.Value, close.Reason).ShouldBe(((ulong)ZtErrorCode.ConnectionClosed, "the host's link ended"));
        h.Switchboard.CircuitCount.ShouldBe(0);
    }

    [Fact]
    public async Task A_host_link_that_ends_before_answering_fails_the_pending_dial()
    {
        await using var h = new SwitchboardHarness();
        var host = await h.BoundHostAsync("host");
        var dialer = await h.ConnectAsync("web");
        dialer.Send(EdgeFrameKind.Dial, 1, token: h.Token("web", SessionType.Dial));
        (await host.NextAsync()).Kind.ShouldBe(EdgeFrameKind.Connect);

        h.Switchboard.Remove(host.RouterSide, "the host's link ended");

        (await dialer.ExpectAsync(EdgeFrameKind.Fault, 1)).Value.ShouldBe((ulong)ZtErrorCode.ConnectionFailed);
    }

    [Fact]
    public async Task A_sender_that_goes_beyond_its_window_has_the_circuit_cut()
    {
        await using var h = new SwitchboardHarness();
        var host = await h.BoundHostAsync("host");
        var dialer = await h.ConnectAsync("web");
        uint hostCircuit = await h.SpliceAsync(dialer, host);

        dialer.Send(EdgeFrameKind.Data, 1, payload: new byte[EdgeCircuit.Window]);
        dialer.Send(EdgeFrameKind.Data, 1, payload: [1]);

        (await host.ExpectAsync(EdgeFrameKind.Data, hostCircuit)).Payload.Length.ShouldBe(EdgeCircuit.Window);
        var close = await host.ExpectAsync(EdgeFrameKind.Close, hostCircuit);
        close.Value.ShouldBe((ulong)ZtErrorCode.ConnectionClosed);
        close.Reason.ShouldContain("window");
        (await dialer.ExpectAsync(EdgeFrameKind.Close, 1)).Value.ShouldBe((ulong)ZtErrorCode.ConnectionClosed);
        h.Switchboard.CircuitCount.ShouldBe(0);
    }

    [Fact]
    public async Task Credit_from_the_receiver_lets_the_sender_go_on_past_the_first_window()
    {
        await using var h = new SwitchboardHarness();
        var host = await h.BoundHostAsync("host");
        var dialer = await h.ConnectAsync("web");
        uint hostCircuit = await h.SpliceAsync(dialer, host);
        dialer.Send(EdgeFrameKind.Data, 1, payload: new byte[EdgeCircuit.Window]);
        await host.ExpectAsync(EdgeFrameKind.Data, hostCircuit);

        host.Send(EdgeFrameKind.Credit, hostCircuit, 1024);
        (await dialer.ExpectAsync(EdgeFrameKind.Credit, 1)).Value.ShouldBe(1024UL);
        dialer.Send(EdgeFrameKind.Data, 1, payload: new byte[1024]);

        (await host.ExpectAsync(EdgeFrameKind.Data, hostCircuit)).Payload.Length.ShouldBe(1024);
        h.Switchboard.CircuitCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_link_at_its_bind_limit_is_refused_another_bind_but_may_renew_one()
    {
        await using var h = new SwitchboardHarness(o => o.MaxBindsPerLink = 1);
        var host = await h.BoundHostAsync("host");

        host.Send(EdgeFrameKind.Bind, 8, 0, h.Token("host", SessionType.Bind));
        var fault = await host.ExpectAsync(EdgeFrameKind.Fault, 8);
        host.Send(EdgeFrameKind.Bind, 7, 0, h.Token("host", SessionType.Bind));

        (fault.Value, fault.Reason).ShouldBe(((ulong)ZtErrorCode.AccessDenied, "this link already holds 1 binds, the most a router allows"));
        await host.ExpectAsync(EdgeFrameKind.Bound, 7);
    }

    [Fact]
    public async Task A_Dial_session_at_its_circuit_limit_is_refused_another_circuit_with_the_code_that_asks_for_a_new_session()
    {
        await using var h = new SwitchboardHarness(o => o.MaxCircuitsPerSession = 1);
        var host = await h.BoundHostAsync("host");
        var dialer = await h.ConnectAsync("web");
        string session = h.NewSessionId();
        await h.SpliceAsync(dialer, host, session);

        dialer.Send(EdgeFrameKind.Dial, 2, token: h.Token("web", SessionType.Dial, sessionId: session));

        var fault = await dialer.ExpectAsync(EdgeFrameKind.Fault, 2);
        fault.Value.ShouldBe((ulong)ZtErrorCode.SessionLimit);
        fault.Reason.ShouldContain("get a new session");
    }

    [Fact]
    public async Task A_dial_the_host_never_answers_fails_after_the_pending_dial_timeout()
    {
        await using var h = new SwitchboardHarness(o => o.PendingDialTimeout = TimeSpan.Zero);
        var host = await h.BoundHostAsync("host");
        h.Switchboard.Admit(host.RouterSide, h.Certificate); // starts the sweep of pending dials
        var dialer = await h.ConnectAsync("web");

        dialer.Send(EdgeFrameKind.Dial, 1, token: h.Token("web", SessionType.Dial));
        var connect = await host.NextAsync();

        var fault = await dialer.ExpectAsync(EdgeFrameKind.Fault, 1);
        fault.Value.ShouldBe((ulong)ZtErrorCode.ConnectionFailed);
        fault.Reason.ShouldContain("did not answer");
        (await host.ExpectAsync(EdgeFrameKind.Close, connect.Circuit)).Value.ShouldBe((ulong)ZtErrorCode.ConnectionFailed);
    }
}
