using System.Net.Sockets;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Edge.Tests;

/// <summary>
/// Two edge links joined by a loopback TCP connection, each routing data, credit and close frames to its circuits by
/// id, as the SDK does (without the router in between, which relays these frames unchanged).
/// </summary>
internal sealed class LinkPair : IAsyncDisposable
{
    private readonly Dictionary<uint, EdgeCircuit> _left = [];
    private readonly Dictionary<uint, EdgeCircuit> _right = [];

    private LinkPair(EdgeLink left, EdgeLink right)
    {
        Left = left;
        Right = right;
    }

    public EdgeLink Left { get; }

    public EdgeLink Right { get; }

    public static async Task<LinkPair> ConnectAsync()
    {
        var (a, b) = await SocketPairAsync();
        LinkPair? pair = null;
        var left = new EdgeLink(new NetworkStream(a, ownsSocket: true), (_, f) => pair!.Route(pair._left, f));
        var right = new EdgeLink(new NetworkStream(b, ownsSocket: true), (_, f) => pair!.Route(pair._right, f));
        pair = new LinkPair(left, right);
        left.Start();
        right.Start();
        return pair;
    }

    /// <summary>Opens circuit <paramref name="id"/> on both links; returns its two ends.</summary>
    public (EdgeCircuit Left, EdgeCircuit Right) Open(uint id)
    {
        var ends = (new EdgeCircuit(Left, id), new EdgeCircuit(Right, id));
        lock (_left)
        {
            _left[id] = ends.Item1;
            _right[id] = ends.Item2;
        }

        return ends;
    }

    private ValueTask Route(Dictionary<uint, EdgeCircuit> circuits, EdgeFrame frame)
    {
        EdgeCircuit? circuit;
        lock (_left)
        {
            circuits.TryGetValue(frame.Circuit, out circuit);
        }

        switch (frame.Kind)
        {
            case EdgeFrameKind.Data:
                circuit?.OnData(frame.Payload.Span);
                break;
            case EdgeFrameKind.Credit:
                circuit?.OnCredit(frame.Value);
                break;
            case EdgeFrameKind.Close:
                circuit?.OnRemoteClose(frame.Reason, abrupt: frame.Value != 0);
                break;
        }

        return ValueTask.CompletedTask;
    }

    public static Task<(Socket A, Socket B)> SocketPairAsync() => Testing.SocketPair.ConnectAsync();

    public async ValueTask DisposeAsync()
    {
        await Left.DisposeAsync();
        await Right.DisposeAsync();
    }
}
