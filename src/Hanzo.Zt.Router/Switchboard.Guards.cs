using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Router;

/// <summary>
/// What the router enforces beyond splicing: revocations (of sessions, identities and certificates) remove binds
/// and close circuits within a poll; binds are re-checked at every poll (revoked or expired tokens go); each link
/// is capped in binds and circuits, each Dial session in circuits; a dial the host never answers times out; and a
/// sender that ignores the receiver's credit has its circuit cut instead of filling the other link's queue.
/// </summary>
internal sealed partial class Switchboard
{
    private readonly Dictionary<(EdgeLink, uint), Grant> _grants = new();
    private readonly Dictionary<(EdgeLink, uint), SessionTokenClaims> _bindClaims = new();
    private readonly Dictionary<(EdgeLink, uint), Flow> _flows = new();
    private readonly Dictionary<EdgeLink, string> _serials = new();
    private Timer? _sweeper;

    /// <summary>Who a circuit (or a pending dial, keyed by the host side) runs for.</summary>
    private sealed record Grant(string DialSessionId, string DialerId, string BindSessionId, string HostId, DateTimeOffset Since);

    /// <summary>Bytes a leg has sent toward the other side, and the credit the other side has granted it.</summary>
    private sealed class Flow
    {
        public long Sent;
        public long Credit = EdgeCircuit.Window;
    }

    /// <summary>Records the certificate a link authenticated with, so a revoked serial closes it.</summary>
    public void Admit(EdgeLink link, X509Certificate2 certificate)
    {
        lock (_lock)
        {
            _serials[link] = ZtCertificates.SerialOf(certificate);
            _sweeper ??= new Timer(_ => SweepPendingDials(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Why a new bind on <paramref name="link"/> is refused, or null. Called under the lock.</summary>
    private string? BindLimit(EdgeLink link, uint bindId)
    {
        int binds = _terminators.Values.Sum(list => list.Count(t => t.Link == link && t.BindId != bindId));
        return binds >= options.MaxBindsPerLink ? $"this link already holds {binds} binds, the most a router allows" : null;
    }

    /// <summary>
    /// Why a new circuit for <paramref name="claims"/> on <paramref name="dialer"/> is refused (and the code that says
    /// so: a full session is <see cref="ZtErrorCode.SessionLimit"/>, which a new session lifts), or null. Called under the lock.
    /// </summary>
    private (ZtErrorCode Code, string Reason)? DialLimit(EdgeLink dialer, SessionTokenClaims claims)
    {
        int onLink = _grants.Count(g => g.Key.Item1 == dialer) + _connecting.Count(c => c.Value.Dialer == dialer);
        if (onLink >= options.MaxCircuitsPerLink)
        {
            return (ZtErrorCode.AccessDenied, $"this link already carries {onLink} circuits, the most a router allows");
        }

        // Grants are held under both legs of a circuit and under the host side while pending: count distinct circuits.
        int ofSession = _grants.Where(g => g.Value.DialSessionId == claims.SessionId).Select(g => g.Value).Distinct(ReferenceEqualityComparer.Instance).Count();
        return ofSession >= options.MaxCircuitsPerSession
            ? (ZtErrorCode.SessionLimit, $"Dial session {claims.SessionId} already has {ofSession} circuits, the most one session token may open; get a new session")
            : null;
    }

    /// <summary>Remembers a bind's claims, to re-check it at every poll. Called under the lock.</summary>
    private void TrackBind(EdgeLink link, uint bindId, SessionTokenClaims claims) => _bindClaims[(link, bindId)] = claims;

    /// <summary>Remembers who a pending dial is for, keyed by the host side. Called under the lock.</summary>
    private void TrackPending(EdgeLink host, uint hostCircuit, SessionTokenClaims dial, Terminator terminator) =>
        _grants[(host, hostCircuit)] = new Grant(dial.SessionId, dial.IdentityId, terminator.SessionId, terminator.IdentityId, DateTimeOffset.UtcNow);

    /// <summary>A pending dial was answered: both legs carry its grant and start with a full window. Called under the lock.</summary>
    private void TrackSpliced(EdgeLink host, uint hostCircuit, EdgeLink dialer, uint dialerCircuit)
    {
        if (_grants.TryGetValue((host, hostCircuit), out var grant))
        {
            _grants[(dialer, dialerCircuit)] = grant;
        }

        _flows[(host, hostCircuit)] = new Flow();
        _flows[(dialer, dialerCircuit)] = new Flow();
    }

    /// <summary>Forgets a leg (or a pending dial). Called under the lock.</summary>
    private void Forget(EdgeLink link, uint circuit)
    {
        _grants.Remove((link, circuit));
        _flows.Remove((link, circuit));
    }

    /// <summary>Forgets everything of a link that ended. Called under the lock.</summary>
    private void ForgetLink(EdgeLink link)
    {
        _serials.Remove(link);
        foreach (var key in _grants.Keys.Where(k => k.Item1 == link).ToList())
        {
            _grants.Remove(key);
        }

        foreach (var key in _flows.Keys.Where(k => k.Item1 == link).ToList())
        {
            _flows.Remove(key);
        }

        foreach (var key in _bindClaims.Keys.Where(k => k.Item1 == link).ToList())
        {
            _bindClaims.Remove(key);
        }
    }

    /// <summary>
    /// Counts a relayed frame against the circuit's window: data spends the sender's credit, credit from the
    /// receiver adds to it. False when the sender went beyond its window. Called under the lock.
    /// </summary>
    private bool WithinWindow(EdgeLink from, uint circuit, Leg leg, EdgeFrame frame)
    {
        if (frame.Kind == EdgeFrameKind.Data && _flows.TryGetValue((from, circuit), out var flow))
        {
            flow.Sent += frame.Payload.Length;
            return flow.Sent <= flow.Credit;
        }

        if (frame.Kind == EdgeFrameKind.Credit && _flows.TryGetValue((leg.Other, leg.OtherCircuit), out var back))
        {
            back.Credit += (long)Math.Min(frame.Value, (ulong)EdgeCircuit.Window);
        }

        return true;
    }

    /// <summary>
    /// Re-checks everything held against the revocations and the clock: binds whose token is revoked or expired,
    /// circuits whose Dial or Bind session or either identity is revoked, links whose identity or certificate is.
    /// </summary>
    public void Enforce()
    {
        var now = DateTimeOffset.UtcNow;
        var cut = new List<(EdgeLink Link, uint Circuit, string Reason)>();
        var unbound = new List<(EdgeLink Link, uint BindId, string Reason)>();
        var closed = new List<(EdgeLink Link, string Reason)>();
        lock (_lock)
        {
            foreach (var (link, serial) in _serials)
            {
                if (feed.IsRevoked(RevocationTypes.Certificate, serial) || feed.IsRevoked(RevocationTypes.Identity, link.PeerId))
                {
                    closed.Add((link, $"the certificate or identity of link '{link.PeerId}' was revoked"));
                }
            }

            foreach (var ((link, bindId), claims) in _bindClaims.ToList())
            {
                string? why = claims.ExpiresAt <= now ? "the bind's session token expired; bind again with a new one"
                    : feed.IsRevoked(RevocationTypes.Session, claims.SessionId) ? "the bind's session was revoked"
                    : feed.IsRevoked(RevocationTypes.Identity, claims.IdentityId) ? "the binding identity was revoked"
                    : null;
                if (why is null)
                {
                    continue;
                }

                _bindClaims.Remove((link, bindId));
                foreach (var list in _terminators.Values)
                {
                    list.RemoveAll(t => t.Link == link && t.BindId == bindId);
                }

                unbound.Add((link, bindId, why));
            }

            foreach (var ((link, circuit), grant) in _grants.ToList())
            {
                string? why = feed.IsRevoked(RevocationTypes.Session, grant.DialSessionId) ? "the Dial session was revoked"
                    : feed.IsRevoked(RevocationTypes.Session, grant.BindSessionId) ? "the host's Bind session was revoked"
                    : feed.IsRevoked(RevocationTypes.Identity, grant.DialerId) ? "the dialing identity was revoked"
                    : feed.IsRevoked(RevocationTypes.Identity, grant.HostId) ? "the hosting identity was revoked"
                    : null;
                if (why is not null && _legs.ContainsKey((link, circuit)))
                {
                    cut.Add((link, circuit, why));
                }
            }
        }

        foreach (var (link, reason) in closed)
        {
            Log.Revoked(logger, link.PeerId, reason);
            link.Close(new ZtAccessDeniedException(reason));
        }

        foreach (var (link, bindId, reason) in unbound)
        {
            Log.Revoked(logger, link.PeerId, reason);
            Fault(link, bindId, ZtErrorCode.AccessDenied, reason);
        }

        foreach (var (link, circuit, reason) in cut)
        {
            Cut(link, circuit, ZtErrorCode.AccessDenied, reason);
        }
    }

    /// <summary>Closes both legs of a circuit at once, telling each side why.</summary>
    private void Cut(EdgeLink link, uint circuit, ZtErrorCode code, string reason)
    {
        Leg? leg;
        lock (_lock)
        {
            if (!_legs.Remove((link, circuit), out leg))
            {
                return;
            }

            _legs.Remove((leg.Other, leg.OtherCircuit));
            Forget(link, circuit);
            Forget(leg.Other, leg.OtherCircuit);
        }

        Log.CircuitCut(logger, circuit, reason);
        byte[] why = System.Text.Encoding.UTF8.GetBytes(reason);
        link.Send(EdgeFrameKind.Close, circuit, (ulong)code, payload: why);
        leg.Other.Send(EdgeFrameKind.Close, leg.OtherCircuit, (ulong)code, payload: why);
    }

    /// <summary>Fails dials whose host has not answered within the pending-dial timeout.</summary>
    private void SweepPendingDials()
    {
        var cutoff = DateTimeOffset.UtcNow - options.PendingDialTimeout;
        var expired = new List<(EdgeLink Host, uint HostCircuit, EdgeLink Dialer, uint Circuit)>();
        lock (_lock)
        {
            foreach (var (key, dialer) in _connecting.ToList())
            {
                if (_grants.TryGetValue(key, out var grant) && grant.Since < cutoff)
                {
                    _connecting.Remove(key);
                    Forget(key.Item1, key.Item2);
                    expired.Add((key.Item1, key.Item2, dialer.Dialer, dialer.Circuit));
                }
            }
        }

        foreach (var (host, hostCircuit, dialer, circuit) in expired)
        {
            Fault(dialer, circuit, ZtErrorCode.ConnectionFailed, $"the host did not answer the dial within {options.PendingDialTimeout.TotalSeconds:0} s");
            host.Send(EdgeFrameKind.Close, hostCircuit, (ulong)ZtErrorCode.ConnectionFailed);
        }
    }

    /// <summary>Stops the pending-dial sweep.</summary>
    public void StopGuards()
    {
        lock (_lock)
        {
            _sweeper?.Dispose();
            _sweeper = null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(31, LogLevel.Warning, "revoked for {Identity}: {Reason}")]
        public static partial void Revoked(ILogger logger, string identity, string reason);

        [LoggerMessage(32, LogLevel.Warning, "circuit {Circuit} cut: {Reason}")]
        public static partial void CircuitCut(ILogger logger, uint circuit, string reason);
    }
}
