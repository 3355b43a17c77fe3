using System.Net;

namespace Hanzo.Zt.NatTraversal;

/// <summary>How a candidate address was learned (as in ICE, RFC 8445).</summary>
public enum NatCandidateKind
{
    /// <summary>An address of a local interface.</summary>
    Host,

    /// <summary>The public address a router observed for our UDP socket (server reflexive).</summary>
    ServerReflexive,

    /// <summary>An address learned from the peer's packets during punching (peer reflexive).</summary>
    PeerReflexive,

    /// <summary>A relay through an edge router: the fallback that always works.</summary>
    Relay,
}

/// <summary>An address at which a peer may be reachable.</summary>
/// <param name="Kind">How the address was learned.</param>
/// <param name="EndPoint">The UDP (or relay) endpoint.</param>
/// <param name="Priority">Higher is tried first.</param>
public sealed record NatCandidate(NatCandidateKind Kind, IPEndPoint EndPoint, int Priority);
