using System.Buffers.Binary;
using System.Net.Sockets;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Edge.Tests;

public sealed class EdgeLinkTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Frames_arrive_in_order_with_every_field()
    {
        var (a, b) = await LinkPair.SocketPairAsync();
        var received = new List<(EdgeFrameKind, uint, ulong, ulong, string, string, string)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sender = new EdgeLink(new NetworkStream(a, ownsSocket: true), (_, _) => ValueTask.CompletedTask);
        await using var receiver = new EdgeLink(new NetworkStream(b, ownsSocket: true), (_, f) =>
        {
            received.Add((f.Kind, f.Circuit, f.Sequence, f.Value, f.Token, f.Reason, f.Peer));
            if (received.Count == 100)
            {
                done.TrySetResult();
            }

            return ValueTask.CompletedTask;
        });
        receiver.Start();
        sender.Start();

        for (uint i = 0; i < 100; i++)
        {
            sender.Send(EdgeFrameKind.Data, i, value: i * 3, token: $"t{i}", payload: System.Text.Encoding.UTF8.GetBytes($"p{i}"), peer: $"peer{i}", sequence: i * 7);
        }

        await done.Task.WaitAsync(Guard);
        for (uint i = 0; i < 100; i++)
        {
            received[(int)i].ShouldBe((EdgeFrameKind.Data, i, (ulong)i * 7, (ulong)i * 3, $"t{i}", $"p{i}", $"peer{i}"));
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(EdgeLink.MaxFrameBytes + 1u)]
    public async Task A_zero_length_or_oversize_frame_ends_the_link_with_a_typed_error(uint length)
    {
        var (a, b) = await LinkPair.SocketPairAsync();
        await using var link = new EdgeLink(new NetworkStream(b, ownsSocket: true), (_, _) => ValueTask.CompletedTask);
        link.Start();
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, length);

        await a.SendAsync(prefix);
        var reason = await link.Completion.WaitAsync(Guard);

        var error = reason.ShouldBeOfType<ZtConnectionException>();
        error.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
        error.Message.ShouldContain("malformed edge frame");
        a.Dispose();
    }

    [Fact]
    public async Task A_frame_that_is_not_a_capnp_message_ends_the_link_with_a_typed_error()
    {
        var (a, b) = await LinkPair.SocketPairAsync();
        await using var link = new EdgeLink(new NetworkStream(b, ownsSocket: true), (_, _) => ValueTask.CompletedTask);
        link.Start();

        await a.SendAsync(new byte[] { 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4 });

        (await link.Completion.WaitAsync(Guard)).ShouldBeOfType<ZtConnectionException>().Message.ShouldContain("malformed edge frame");
        a.Dispose();
    }

    [Fact]
    public async Task Sending_a_frame_over_the_limit_fails_without_closing_the_link()
    {
        await using var pair = await LinkPair.ConnectAsync();

        var error = Should.Throw<ZtConnectionException>(() => pair.Left.Send(EdgeFrameKind.Data, 1, payload: new byte[EdgeLink.MaxFrameBytes]));

        error.Message.ShouldContain("limit");
        pair.Left.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task A_peer_that_reads_late_keeps_its_link_with_more_queued_than_a_fixed_cap()
    {
        // What a router queues toward a slow host is bounded by its circuits' windows: 96 MiB is what 48 busy
        // circuits may have in flight, more than a fixed 64 MiB cap, and the host reads all of it in the end.
        var (a, b) = await LinkPair.SocketPairAsync();
        await using var sender = new EdgeLink(new NetworkStream(a, ownsSocket: true), (_, _) => ValueTask.CompletedTask);
        using var peer = b;
        var payload = new byte[1024 * 1024];
        for (uint i = 0; i < 96; i++)
        {
            sender.SendData(i % 48, payload, sequence: i).ShouldBeTrue();
        }

        var buffer = new byte[1024 * 1024];
        long read = 0;
        using var guard = new CancellationTokenSource(Guard);
        while (read < 96L * payload.Length)
        {
            int n = await peer.ReceiveAsync(buffer, guard.Token);
            n.ShouldBeGreaterThan(0);
            read += n;
        }

        sender.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task A_peer_that_stops_reading_is_cut_off_once_the_links_writes_stall()
    {
        var (a, b) = await LinkPair.SocketPairAsync();
        await using var sender = new EdgeLink(new NetworkStream(a, ownsSocket: true), (_, _) => ValueTask.CompletedTask) { SendStallTimeout = TimeSpan.FromMilliseconds(500) };
        using var peer = b;
        var payload = new byte[1024 * 1024];

        // The first megabytes fill the sockets' buffers; then nothing moves, and a frame sent after that finds the
        // peer not reading instead of queuing behind it until the cap.
        using var guard = new CancellationTokenSource(Guard);
        for (uint i = 0; sender.SendData(1, payload, sequence: i); i++)
        {
            await Task.Delay(50, guard.Token);
        }

        var reason = await sender.Completion.WaitAsync(Guard);
        reason.ShouldBeOfType<ZtConnectionException>().Message.ShouldContain("not reading");
        sender.PendingBytes.ShouldBeLessThan(64L * 1024 * 1024);
    }
}
