using System.Net;

namespace Hanzo.Zt.Fabric;

/// <summary>Which path a connection's bytes take: relayed by a router, or direct to the peer over a punched UDP path.</summary>
/// <param name="Router">The router relaying the connection's circuit (the relay stays up while a direct path is used).</param>
/// <param name="Direct">The peer's UDP endpoint when the path is direct; null on the relay.</param>
public sealed record ZtConnectionPath(Uri Router, IPEndPoint? Direct)
{
    /// <summary>True when bytes go straight to the peer.</summary>
    public bool IsDirect => Direct is not null;

    /// <summary><c>direct &lt;ip:port&gt;</c> or <c>relay &lt;router host:port&gt;</c>.</summary>
    public override string ToString() => Direct is { } direct ? $"direct {direct}" : $"relay {Router.Authority}";
}

/// <summary>The answer to a ping through a connection.</summary>
/// <param name="Path">The path the ping and its answer took.</param>
/// <param name="RoundTrip">The time from sending the ping to reading the answer.</param>
public sealed record ZtPingResult(ZtConnectionPath Path, TimeSpan RoundTrip);
