using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap.Transports;

namespace Hanzo.Zt.Zap;

/// <summary>
/// The transports ZAP knows without dependency injection: <c>tcp://</c> and <c>ws://</c>. Others (such as
/// <c>zt://</c>) come from an <see cref="IZtTransportSelector"/> passed to <see cref="ZapClient"/> and <see cref="ZapListener"/>.
/// </summary>
public static class ZapTransports
{
    /// <summary>A selector for tcp and ws.</summary>
    public static IZtTransportSelector Default { get; } = new ZtTransportSelector([new TcpTransport(), new WebSocketTransport()]);
}
