using System.Net;
using Hanzo.Zt.NatTraversal;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Fabric.Paths;

/// <summary>Starts NAT traversal beside a connection that is up on the relay.</summary>
internal static partial class DirectPaths
{
    /// <summary>How long both sides keep probing before they settle for the relay.</summary>
    public static readonly TimeSpan PunchTimeout = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Runs <paramref name="traversal"/> (when there is one) for the connection on <paramref name="path"/>, relayed by
    /// <paramref name="router"/>; <paramref name="token"/> is the connection's session token, which the router's
    /// address reflector accepts.
    /// </summary>
    public static void Start(INatTraversal? traversal, PathStream path, Uri router, string sessionId, string token, bool initiator, byte[] key, ILogger logger)
    {
        if (traversal is null)
        {
            return;
        }

        path.StartDirect(
            traversal,
            signal => new NatSession(sessionId, initiator, key, Reflector(router), token, signal, PunchTimeout),
            e => LogFailed(logger, sessionId, e.Message),
            e => LogLeft(logger, sessionId, e.Message));
    }

    private static IPEndPoint? Reflector(Uri router)
    {
        if (IPAddress.TryParse(router.Host, out var address))
        {
            return new IPEndPoint(address, router.Port);
        }

        try
        {
            var addresses = Dns.GetHostAddresses(router.Host);
            return addresses.Length == 0 ? null : new IPEndPoint(addresses[0], router.Port);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "NAT traversal for session {SessionId} failed: {Reason}; staying on the relay")]
    private static partial void LogFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The direct path of session {SessionId} was left: {Reason}; the connection goes on over the relay")]
    private static partial void LogLeft(ILogger logger, string sessionId, string reason);
}
