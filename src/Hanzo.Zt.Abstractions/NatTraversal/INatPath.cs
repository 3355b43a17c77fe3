using System.IO.Pipelines;
using System.Net;

namespace Hanzo.Zt.NatTraversal;

/// <summary>
/// A direct path to a peer, opened by hole punching: a reliable, ordered byte stream over UDP. Keepalives hold the
/// NAT mappings open; when the peer stops answering, <see cref="Transport"/>'s input completes with an error.
/// Disposing it closes the path.
/// </summary>
public interface INatPath : IAsyncDisposable
{
    /// <summary>This side's endpoint of the path.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The peer's endpoint of the path, as this side sends to it.</summary>
    IPEndPoint RemoteEndPoint { get; }

    /// <summary>How the peer's endpoint was learned, for diagnostics.</summary>
    NatCandidateKind RemoteKind { get; }

    /// <summary>The path as a reliable, ordered byte stream.</summary>
    IDuplexPipe Transport { get; }
}
