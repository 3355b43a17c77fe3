namespace Hanzo.Zt.NatTraversal;

/// <summary>
/// NAT traversal: discovers this side's candidate addresses and punches a direct path to a peer's.
/// When punching fails the fabric keeps relaying through a router, so implementations report failure
/// by returning <see langword="null"/>, not by throwing.
/// </summary>
public interface INatTraversal
{
    /// <summary>Discovers this side's candidates (host addresses and reflexive ones seen by <paramref name="reflectors"/>).</summary>
    ValueTask<IReadOnlyList<NatCandidate>> DiscoverCandidatesAsync(
        IReadOnlyList<Uri> reflectors,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Tries to open a direct path to the peer by probing its candidates from ours at the same time the
    /// peer probes ours. Returns the path, or <see langword="null"/> when no candidate pair answered.
    /// </summary>
    ValueTask<INatPath?> PunchAsync(
        NatPunchRequest request,
        CancellationToken cancellationToken = default);
}

/// <summary>What a punch attempt needs to know.</summary>
/// <param name="SessionId">The circuit this path is for; both sides use it to recognise each other's probes.</param>
/// <param name="LocalCandidates">This side's candidates, as discovered.</param>
/// <param name="RemoteCandidates">The peer's candidates, exchanged through the router.</param>
/// <param name="Timeout">How long to keep probing before giving up.</param>
public sealed record NatPunchRequest(
    string SessionId,
    IReadOnlyList<NatCandidate> LocalCandidates,
    IReadOnlyList<NatCandidate> RemoteCandidates,
    TimeSpan Timeout);
