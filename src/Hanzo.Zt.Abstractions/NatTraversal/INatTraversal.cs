namespace Hanzo.Zt.NatTraversal;

/// <summary>
/// NAT traversal: opens a direct UDP path to the peer of a connection that is already up on the relay. The fabric
/// carries on over the relay while this runs and whenever it fails, so implementations report failure by
/// returning <see langword="null"/>, not by throwing.
/// </summary>
public interface INatTraversal
{
    /// <summary>
    /// Gathers this side's candidates, exchanges them with the peer through <see cref="NatSession.Signal"/>, probes
    /// the peer's candidates while the peer probes ours, and returns the first path whose replies prove they come
    /// from the holder of <see cref="NatSession.Key"/>; <see langword="null"/> when none did in time.
    /// </summary>
    ValueTask<INatPath?> ConnectAsync(NatSession session, CancellationToken cancellationToken = default);
}
