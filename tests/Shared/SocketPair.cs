using System.Net;
using System.Net.Sockets;

namespace Hanzo.Zt.Testing;

/// <summary>Two connected loopback TCP sockets (port 0, Nagle off): the two ends of a link under test.</summary>
internal static class SocketPair
{
    public static async Task<(Socket A, Socket B)> ConnectAsync()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var a = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptAsync();
        await a.ConnectAsync(listener.LocalEndPoint!);
        var b = await accepting;
        b.NoDelay = true;
        return (a, b);
    }
}
