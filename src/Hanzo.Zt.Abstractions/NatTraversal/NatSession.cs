using System.Net;

namespace Hanzo.Zt.NatTraversal;

/// <summary>What one side of a connection brings to a punch attempt.</summary>
/// <param name="SessionId">The controller session of the connection, for diagnostics.</param>
/// <param name="IsInitiator">True on the dialer: it nominates the path both sides then use.</param>
/// <param name="Key">
/// A secret both ends agreed inside their end-to-end TLS session, unknown to any router: probes and replies are
/// authenticated with it, so a path is only ever one to the peer the TLS session proved.
/// </param>
/// <param name="Reflector">The router's UDP address reflector (the IP and port number of its edge listener), or null.</param>
/// <param name="ReflectionToken">A session token the router accepts for address reflection (the connection's own).</param>
/// <param name="Signal">Messages to and from the peer over the relayed circuit.</param>
/// <param name="Timeout">How long to keep probing before giving up.</param>
public sealed record NatSession(
    string SessionId,
    bool IsInitiator,
    ReadOnlyMemory<byte> Key,
    IPEndPoint? Reflector,
    string ReflectionToken,
    INatSignal Signal,
    TimeSpan Timeout);

/// <summary>A message channel to the peer over the relayed circuit (reliable and ordered, not confidential from the router).</summary>
public interface INatSignal
{
    /// <summary>Sends one message (at most 60 KiB) to the peer.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>Waits for the peer's next message.</summary>
    ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default);
}
