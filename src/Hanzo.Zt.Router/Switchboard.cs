using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>
/// The router's fabric state: which links terminate which services, and which circuit on one link is spliced
/// to which circuit on another. Frames from every link come here, one link at a time in order.
/// </summary>
internal sealed partial class Switchboard(ControllerFeed feed, RouterOptions options, ILogger logger, CircuitMeter? meter = null)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<Terminator>> _terminators = new(StringComparer.Ordinal);
    private readonly Dictionary<(EdgeLink, uint), Leg> _legs = new();
    private readonly Dictionary<(EdgeLink, uint), (EdgeLink Dialer, uint Circuit, SessionTokenClaims Claims)> _connecting = new();
    private readonly Dictionary<EdgeLink, LinkState> _links = new();

    private sealed record Terminator(EdgeLink Link, uint BindId, ulong Cost, string SessionId, string IdentityId);

    private sealed class Leg(EdgeLink other, uint otherCircuit, CircuitUsage? usage = null, bool fromDialer = false)
    {
        public EdgeLink Other { get; } = other;

        public uint OtherCircuit { get; } = otherCircuit;

        /// <summary>The circuit's metered usage (shared by both legs), when billing is on.</summary>
        public CircuitUsage? Usage { get; } = usage;

        /// <summary>Whether frames arriving on this leg come from the dialer.</summary>
        public bool FromDialer { get; } = fromDialer;

        public bool Closed { get; set; }
    }

    private sealed class LinkState
    {
        public uint NextCircuit = 0x8000_0000;
    }

    public int CircuitCount
    {
        get
        {
            lock (_lock)
            {
                return _legs.Count / 2;
            }
        }
    }

    public void Add(EdgeLink link)
    {
        lock (_lock)
        {
            _links[link] = new LinkState();
        }
    }

    public IReadOnlyList<EdgeLink> LinksOf(string identityId)
    {
        lock (_lock)
        {
            return [.. _links.Keys.Where(l => l.PeerId == identityId)];
        }
    }

    public IReadOnlyList<EdgeLink> AllLinks()
    {
        lock (_lock)
        {
            return [.. _links.Keys];
        }
    }

    public ValueTask OnFrameAsync(EdgeLink link, EdgeFrame frame)
    {
        switch (frame.Kind)
        {
            case EdgeFrameKind.Data:
            case EdgeFrameKind.Credit:
            case EdgeFrameKind.Close:
                Relay(link, frame);
                break;
            case EdgeFrameKind.Bind:
                Bind(link, frame);
                break;
            case EdgeFrameKind.Unbind:
                Unbind(link, frame.Circuit);
                break;
            case EdgeFrameKind.Dial:
                Dial(link, frame);
                break;
            case EdgeFrameKind.Dialed:
                Accepted(link, frame.Circuit);
                break;
            case EdgeFrameKind.Fault:
                Refused(link, frame);
                break;
            case EdgeFrameKind.Usage:
            case EdgeFrameKind.DirectUsage:
                ReportUsage(link, frame);
                break;
            case EdgeFrameKind.Ping:
                link.Send(EdgeFrameKind.Pong, frame.Circuit, frame.Value);
                break;
            case EdgeFrameKind.Hello:
            case EdgeFrameKind.Pong:
                break;
            default:
                Fault(link, frame.Circuit, ZtErrorCode.Unknown, $"a router does not accept {frame.Kind} frames");
                break;
        }

        return ValueTask.CompletedTask;
    }

    private SessionTokenClaims? Authorize(EdgeLink link, EdgeFrame frame, SessionType type)
    {
        if (!feed.Verifier.TryVerify(frame.Token, out var claims) || claims is null)
        {
            Fault(link, frame.Circuit, ZtErrorCode.NotAuthenticated, "the session token is not valid (forged, expired or from another controller)");
            return null;
        }

        if (claims.Type != type || claims.IdentityId != link.PeerId)
        {
            Fault(link, frame.Circuit, ZtErrorCode.AccessDenied, $"the session token is a {claims.Type} token of identity '{claims.IdentityId}', not a {type} token of this link's identity");
            return null;
        }

        if (feed.IsRevoked(RevocationTypes.Session, claims.SessionId) || feed.IsRevoked(RevocationTypes.Identity, claims.IdentityId))
        {
            Fault(link, frame.Circuit, ZtErrorCode.AccessDenied, "the session has been revoked");
            return null;
        }

        return claims;
    }

    private void Bind(EdgeLink link, EdgeFrame frame)
    {
        if (Authorize(link, frame, SessionType.Bind) is not { } claims)
        {
            return;
        }

        string? refused;
        lock (_lock)
        {
            refused = BindLimit(link, frame.Circuit);
            if (refused is null)
            {
                if (!_terminators.TryGetValue(claims.ServiceId, out var list))
                {
                    _terminators[claims.ServiceId] = list = [];
                }

                list.RemoveAll(t => t.Link == link && t.BindId == frame.Circuit);
                list.Add(new Terminator(link, frame.Circuit, frame.Value, claims.SessionId, claims.IdentityId));
                TrackBind(link, frame.Circuit, claims);
            }
        }

        if (refused is not null)
        {
            Fault(link, frame.Circuit, ZtErrorCode.AccessDenied, refused);
            return;
        }

        Log.Bound(logger, claims.IdentityId, claims.ServiceName);
        link.Send(EdgeFrameKind.Bound, frame.Circuit, token: claims.ServiceId);
    }

    private void Unbind(EdgeLink link, uint bindId)
    {
        lock (_lock)
        {
            foreach (var list in _terminators.Values)
            {
                list.RemoveAll(t => t.Link == link && t.BindId == bindId);
            }

            _bindClaims.Remove((link, bindId));
        }
    }

    private void Dial(EdgeLink dialer, EdgeFrame frame)
    {
        if (Authorize(dialer, frame, SessionType.Dial) is not { } claims)
        {
            return;
        }

        EdgeLink host;
        uint hostCircuit;
        (ZtErrorCode Code, string Reason)? refused;
        lock (_lock)
        {
            var live = _terminators.TryGetValue(claims.ServiceId, out var list) ? list.Where(t => t.Link.IsOpen).ToList() : [];
            refused = DialLimit(dialer, claims);
            if (live.Count == 0 || refused is not null)
            {
                host = null!;
                hostCircuit = 0;
            }
            else
            {
                // Lowest cost wins; among equals, spread the load.
                ulong best = live.Min(t => t.Cost);
                var candidates = live.Where(t => t.Cost == best).ToList();
                var terminator = candidates[Random.Shared.Next(candidates.Count)];
                host = terminator.Link;
                hostCircuit = _links.TryGetValue(host, out var state) ? state.NextCircuit++ : 0x8000_0000;
                _connecting[(host, hostCircuit)] = (dialer, frame.Circuit, claims);
                TrackPending(host, hostCircuit, claims, terminator);
            }
        }

        if (refused is { } limit)
        {
            Fault(dialer, frame.Circuit, limit.Code, limit.Reason);
            return;
        }

        if (host is null)
        {
            Fault(dialer, frame.Circuit, ZtErrorCode.ServiceNotFound, $"no host is bound to service '{claims.ServiceName}' on this router");
            return;
        }

        host.Send(EdgeFrameKind.Connect, hostCircuit, token: claims.ServiceId, peer: claims.IdentityId);
    }

    private void Accepted(EdgeLink host, uint hostCircuit)
    {
        (EdgeLink Dialer, uint Circuit, SessionTokenClaims Claims) dialer;
        lock (_lock)
        {
            if (!_connecting.Remove((host, hostCircuit), out dialer))
            {
                return;
            }

            var usage = meter?.Start(dialer.Claims);
            _legs[(host, hostCircuit)] = new Leg(dialer.Dialer, dialer.Circuit, usage, fromDialer: false);
            _legs[(dialer.Dialer, dialer.Circuit)] = new Leg(host, hostCircuit, usage, fromDialer: true);
            TrackSpliced(host, hostCircuit, dialer.Dialer, dialer.Circuit);
        }

        dialer.Dialer.Send(EdgeFrameKind.Dialed, dialer.Circuit, peer: host.PeerId);
    }

    private void Refused(EdgeLink host, EdgeFrame frame)
    {
        (EdgeLink Dialer, uint Circuit, SessionTokenClaims Claims) dialer;
        lock (_lock)
        {
            if (!_connecting.Remove((host, frame.Circuit), out dialer))
            {
                return;
            }

            Forget(host, frame.Circuit);
        }

        dialer.Dialer.Send(EdgeFrameKind.Fault, dialer.Circuit, frame.Value, payload: frame.Payload.Span);
    }

    private void Relay(EdgeLink from, EdgeFrame frame)
    {
        Leg? leg;
        bool remove = false;
        bool overrun;
        lock (_lock)
        {
            if (!_legs.TryGetValue((from, frame.Circuit), out leg))
            {
                return; // a circuit already torn down: late frames are dropped
            }

            overrun = !WithinWindow(from, frame.Circuit, leg, frame);

            if (frame.Kind == EdgeFrameKind.Close)
            {
                leg.Closed = true;
                remove = _legs.TryGetValue((leg.Other, leg.OtherCircuit), out var back) && back.Closed;
                if (remove)
                {
                    _legs.Remove((from, frame.Circuit));
                    _legs.Remove((leg.Other, leg.OtherCircuit));
                    Forget(from, frame.Circuit);
                    Forget(leg.Other, leg.OtherCircuit);
                }
            }
        }

        if (overrun)
        {
            // The sender ignored the receiver's credit: cut it off rather than queue without bound toward the receiver.
            Cut(from, frame.Circuit, ZtErrorCode.ConnectionClosed, $"the sender went beyond its {EdgeCircuit.Window}-byte window");
            return;
        }

        var payload = frame.Payload;
        if (frame.Kind == EdgeFrameKind.Data)
        {
            options.RelayObserver?.Invoke(payload);
            leg.Usage?.Add(leg.FromDialer, payload.Length);
            leg.Other.SendData(leg.OtherCircuit, payload.Span, frame.Sequence, frame.Value);
            return;
        }

        if (remove)
        {
            meter?.End(leg.Usage, "success");
        }

        leg.Other.Send(frame.Kind, leg.OtherCircuit, frame.Value, payload: payload.Span, sequence: frame.Sequence);
    }

    /// <summary>A link ended: its terminators go, and every circuit through it is closed on the other side.</summary>
    public void Remove(EdgeLink link, string reason)
    {
        var orphans = new List<(EdgeLink Link, uint Circuit)>();
        var ended = new List<CircuitUsage?>();
        var unanswered = new List<(EdgeLink Link, uint Circuit)>();
        lock (_lock)
        {
            _links.Remove(link);
            ForgetLink(link);
            foreach (var list in _terminators.Values)
            {
                list.RemoveAll(t => t.Link == link);
            }

            foreach (var ((owner, circuit), leg) in _legs.ToList())
            {
                if (owner == link)
                {
                    _legs.Remove((owner, circuit));
                    _legs.Remove((leg.Other, leg.OtherCircuit));
                    Forget(leg.Other, leg.OtherCircuit);
                    orphans.Add((leg.Other, leg.OtherCircuit));
                    ended.Add(leg.Usage);
                }
            }

            foreach (var (key, dialer) in _connecting.ToList())
            {
                if (key.Item1 == link || dialer.Dialer == link)
                {
                    _connecting.Remove(key);
                    Forget(key.Item1, key.Item2);
                    if (key.Item1 == link)
                    {
                        unanswered.Add((dialer.Dialer, dialer.Circuit));
                    }
                }
            }
        }

        foreach (var usage in ended)
        {
            meter?.End(usage, reason);
        }

        byte[] why = System.Text.Encoding.UTF8.GetBytes(reason);
        foreach (var (other, circuit) in orphans)
        {
            other.Send(EdgeFrameKind.Close, circuit, (ulong)ZtErrorCode.ConnectionClosed, payload: why);
        }

        foreach (var (dialer, circuit) in unanswered)
        {
            dialer.Send(EdgeFrameKind.Fault, circuit, (ulong)ZtErrorCode.ConnectionFailed, payload: why);
        }
    }

    private static void Fault(EdgeLink link, uint circuit, ZtErrorCode code, string reason) =>
        link.Send(EdgeFrameKind.Fault, circuit, (ulong)code, payload: System.Text.Encoding.UTF8.GetBytes(reason));

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "identity {Identity} bound service {Service}")]
        public static partial void Bound(ILogger logger, string identity, string service);
    }
}
