using System.Net.Sockets;
using System.Threading.Channels;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Router.Tests;

/// <summary>A frame as a peer received it, copied out of the link's buffers.</summary>
public sealed record ReceivedFrame(EdgeFrameKind Kind, uint Circuit, ulong Value, string Token, string Peer, byte[] Payload, ulong Sequence)
{
    public string Reason => System.Text.Encoding.UTF8.GetString(Payload);
}

/// <summary>
/// An identity's side of an edge link to the switchboard, over loopback TCP: what it sends goes to the switchboard
/// through the router's end of the link (whose peer is this identity), and every frame the router sends back is kept
/// in order.
/// </summary>
public sealed class EdgePeer : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly Channel<ReceivedFrame> _received = Channel.CreateUnbounded<ReceivedFrame>();

    private EdgePeer(string identityId, EdgeLink client, EdgeLink routerSide)
    {
        IdentityId = identityId;
        Client = client;
        RouterSide = routerSide;
    }

    public string IdentityId { get; }

    /// <summary>The identity's end of the link.</summary>
    public EdgeLink Client { get; }

    /// <summary>The router's end of the link, as the switchboard knows it.</summary>
    public EdgeLink RouterSide { get; }

    internal static async Task<EdgePeer> ConnectAsync(Switchboard switchboard, string identityId)
    {
        var (a, b) = await Testing.SocketPair.ConnectAsync();

        EdgePeer? peer = null;
        var client = new EdgeLink(new NetworkStream(a, ownsSocket: true), (_, f) =>
        {
            peer!._received.Writer.TryWrite(new ReceivedFrame(f.Kind, f.Circuit, f.Value, f.Token, f.Peer, f.Payload.ToArray(), f.Sequence));
            return ValueTask.CompletedTask;
        });
        var routerSide = new EdgeLink(new NetworkStream(b, ownsSocket: true), switchboard.OnFrameAsync) { PeerId = identityId };
        peer = new EdgePeer(identityId, client, routerSide);
        switchboard.Add(routerSide);
        client.Start();
        routerSide.Start();
        return peer;
    }

    public void Send(EdgeFrameKind kind, uint circuit, ulong value = 0, string? token = null, byte[]? payload = null, ulong sequence = 0) =>
        Client.Send(kind, circuit, value, token, payload, sequence: sequence).ShouldBeTrue();

    /// <summary>The next frame the router sent this peer.</summary>
    public async Task<ReceivedFrame> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(Guard);

    /// <summary>The next frame, which must be of <paramref name="kind"/> on <paramref name="circuit"/>.</summary>
    public async Task<ReceivedFrame> ExpectAsync(EdgeFrameKind kind, uint circuit)
    {
        var frame = await NextAsync();
        frame.Kind.ShouldBe(kind, $"frame on circuit {frame.Circuit}: {frame.Reason}");
        frame.Circuit.ShouldBe(circuit);
        return frame;
    }

    /// <summary>Whether a frame is waiting (after a round trip that orders it, e.g. a ping answered).</summary>
    public bool HasPending => _received.Reader.TryPeek(out _);

    /// <summary>Sends a ping and waits for its pong: every frame the router sent this peer before it has arrived.</summary>
    public async Task SyncAsync(ulong nonce)
    {
        Send(EdgeFrameKind.Ping, 0, nonce);
        while (true)
        {
            var frame = await NextAsync();
            if (frame.Kind == EdgeFrameKind.Pong && frame.Value == nonce) return;
            throw new ShouldAssertException($"expected only the pong, got {frame.Kind} on circuit {frame.Circuit}: {frame.Reason}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await RouterSide.DisposeAsync();
    }
}
