using System.Security.Cryptography;
using System.Text;

namespace Hanzo.Zt.Edge.Tests;

public sealed class EdgeCircuitTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_the_peer_closes_its_sending_side_this_side_can_still_send()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        await dialer.WriteAsync("request"u8.ToArray());
        dialer.CloseWrite();
        (await ReadToEndAsync(host)).ShouldBe("request");
        await host.WriteAsync("response"u8.ToArray());
        host.CloseWrite();

        (await ReadToEndAsync(dialer)).ShouldBe("response");
    }

    [Fact]
    public async Task An_abort_fails_the_peers_reads_and_writes_with_ConnectionClosed()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        dialer.Abort("the dialer went away");

        var read = await Should.ThrowAsync<ZtConnectionException>(ReadToEndAsync(host).WaitAsync(Guard));
        read.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
        read.Message.ShouldContain("the dialer went away");
        var write = await Should.ThrowAsync<ZtConnectionException>(host.WriteAsync("late"u8.ToArray()).AsTask());
        write.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
    }

    [Fact]
    public async Task Disposing_before_the_peer_has_finished_tells_it_nobody_reads_any_more()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        // The host is blocked on credit when the dialer leaves: its write must fail, not wait forever.
        var writing = host.WriteAsync(new byte[EdgeCircuit.Window * 2]).AsTask();
        await dialer.DisposeAsync();

        (await Should.ThrowAsync<ZtConnectionException>(writing.WaitAsync(Guard))).ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
    }

    [Fact]
    public async Task Aborting_fails_this_sides_write_that_waits_for_credit_at_once()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        // The host never reads: the dialer's write waits for credit, until the dialer gives up on the circuit.
        var writing = dialer.WriteAsync(new byte[EdgeCircuit.Window * 2]).AsTask();
        await Task.Delay(200);
        writing.IsCompleted.ShouldBeFalse();
        dialer.Abort("the dialer gave up");
        dialer.Abort("a second abort changes nothing");

        await Should.ThrowAsync<ObjectDisposedException>(writing.WaitAsync(Guard));
        var read = await Should.ThrowAsync<ZtConnectionException>(ReadToEndAsync(host).WaitAsync(Guard));
        read.Message.ShouldContain("the dialer gave up");
    }

    [Fact]
    public async Task A_circuit_whose_reader_stalls_does_not_hold_up_another_circuit_on_the_link()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (stalledWriter, _) = pair.Open(1);
        var (writer, reader) = pair.Open(2);

        var stalled = stalledWriter.WriteAsync(new byte[EdgeCircuit.Window * 4]).AsTask();
        var payload = RandomNumberGenerator.GetBytes(EdgeCircuit.Window * 3);
        var sending = Task.Run(async () =>
        {
            await writer.WriteAsync(payload);
            writer.CloseWrite();
        });
        var received = new MemoryStream();
        await reader.CopyToAsync(received).WaitAsync(Guard);
        await sending.WaitAsync(Guard);

        received.ToArray().ShouldBe(payload);
        stalled.IsCompleted.ShouldBeFalse(); // still waiting for credit its reader never gave
    }

    [Fact]
    public async Task A_circuit_whose_reader_keeps_up_grows_its_window_to_the_maximum()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        // The host reads a whole base window as it comes: its grants carry growth, up to the maximum window.
        var reading = ReadBytesAsync(host, EdgeCircuit.Window);
        await dialer.WriteAsync(new byte[EdgeCircuit.Window]).AsTask().WaitAsync(Guard);
        await reading.WaitAsync(Guard);

        // Now the host reads nothing, and the dialer still has a whole maximum window of credit: with the base window
        // alone this write would wait for the host.
        await dialer.WriteAsync(new byte[EdgeCircuit.MaxWindow]).AsTask().WaitAsync(Guard);
        (await ReadBytesAsync(host, EdgeCircuit.MaxWindow).WaitAsync(Guard)).ShouldBe(EdgeCircuit.MaxWindow);
    }

    [Fact]
    public async Task A_links_circuits_share_its_window_growth_budget()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var link = pair.Left;

        link.TakeWindowGrowth(10L << 20).ShouldBe(10L << 20);
        link.TakeWindowGrowth(10L << 20).ShouldBe(EdgeLink.WindowGrowthBudget - (10L << 20));
        link.TakeWindowGrowth(1).ShouldBe(0);
        link.ReturnWindowGrowth(4L << 20);
        link.TakeWindowGrowth(10L << 20).ShouldBe(4L << 20);
    }

    private static async Task<int> ReadBytesAsync(EdgeCircuit circuit, int count)
    {
        var buffer = new byte[64 * 1024];
        int total = 0;
        while (total < count)
        {
            int n = await circuit.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, count - total)));
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    [Fact]
    public async Task TryWrite_sends_a_run_within_credit_at_once_and_leaves_one_beyond_it_unwritten()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        dialer.TryWrite("head"u8, "body"u8).ShouldBeTrue();
        dialer.TryWrite(default, new byte[EdgeCircuit.MaxChunk + 1]).ShouldBeFalse("a run longer than one data frame goes the waiting way");

        // The host reads nothing: the rest of the window is the last of the dialer's credit.
        int rest = EdgeCircuit.Window - 8;
        await dialer.WriteAsync(new byte[rest]).AsTask().WaitAsync(Guard);
        dialer.TryWrite(default, "late"u8).ShouldBeFalse();

        // The host gets exactly what went: the refused run left nothing behind.
        var first = new byte[8];
        await host.ReadExactlyAsync(first).AsTask().WaitAsync(Guard);
        Encoding.UTF8.GetString(first).ShouldBe("headbody");
        (await ReadBytesAsync(host, rest).WaitAsync(Guard)).ShouldBe(rest);

        // What the host read came back as credit: the run goes now.
        using (var guard = new CancellationTokenSource(Guard))
        {
            while (!dialer.TryWrite(default, "late"u8))
            {
                await Task.Delay(10, guard.Token);
            }
        }

        dialer.CloseWrite();
        (await ReadToEndAsync(host)).ShouldBe("late");
    }

    [Fact]
    public async Task A_blocking_write_waits_for_credit_on_its_own_thread_and_every_byte_arrives_in_order()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);
        var payload = RandomNumberGenerator.GetBytes(EdgeCircuit.Window * 3);

        var writing = Task.Factory.StartNew(
            () =>
            {
                dialer.Write(payload);
                dialer.CloseWrite();
            },
            TaskCreationOptions.LongRunning);
        await Task.Delay(200);
        writing.IsCompleted.ShouldBeFalse("three windows cannot leave before the host reads");

        var received = new MemoryStream();
        await host.CopyToAsync(received).WaitAsync(Guard);
        await writing.WaitAsync(Guard);
        received.ToArray().ShouldBe(payload);
    }

    [Fact]
    public async Task Aborting_fails_a_blocking_write_that_waits_for_credit()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        var writing = Task.Factory.StartNew(() => dialer.Write(new byte[EdgeCircuit.Window * 2]), TaskCreationOptions.LongRunning);
        await Task.Delay(200);
        writing.IsCompleted.ShouldBeFalse();
        dialer.Abort("the dialer gave up");

        await Should.ThrowAsync<ObjectDisposedException>(writing.WaitAsync(Guard));
        (await Should.ThrowAsync<ZtConnectionException>(ReadToEndAsync(host).WaitAsync(Guard))).Message.ShouldContain("the dialer gave up");
    }

    [Fact]
    public async Task A_peer_that_sends_beyond_its_window_is_refused()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (_, host) = pair.Open(1);

        host.OnData(new byte[EdgeCircuit.Window]);

        Should.Throw<ZtProtocolException>(() => host.OnData(new byte[1]));
    }

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(Guard);
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
