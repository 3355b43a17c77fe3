using System.IO.Pipelines;
using System.Net;

namespace Hanzo.Zt.NatTraversal;

/// <summary>A direct path to a peer, opened by hole punching. Disposing it closes the path.</summary>
public interface INatPath : IAsyncDisposable
{
    /// <summary>This side's endpoint of the path.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The peer's endpoint of the path.</summary>
    IPEndPoint RemoteEndPoint { get; }

    /// <summary>The candidate pair kinds that answered, for diagnostics.</summary>
    NatCandidateKind RemoteKind { get; }

    /// <summary>The path as a reliable, ordered byte stream.</summary>
    IDuplexPipe Transport { get; }
}
