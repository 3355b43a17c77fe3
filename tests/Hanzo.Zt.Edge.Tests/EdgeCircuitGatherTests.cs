using System.Buffers;
using System.Security.Cryptography;

namespace Hanzo.Zt.Edge.Tests;

/// <summary>A header and a body written as one run, and the received bytes read through the circuit's pipe.</summary>
public sealed class EdgeCircuitGatherTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(13, 16 * 1024)]
    [InlineData(EdgeLink.MaxDataPrefixBytes, EdgeCircuit.MaxChunk)]
    [InlineData(EdgeLink.MaxDataPrefixBytes + 1, 100)]
    [InlineData(0, 5)]
    public async Task A_head_and_body_arrive_as_one_run_in_order(int headBytes, int bodyBytes)
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);
        var runs = Enumerable.Range(0, 3).Select(_ => (Head: RandomNumberGenerator.GetBytes(headBytes), Body: RandomNumberGenerator.GetBytes(bodyBytes))).ToArray();

        foreach (var (head, body) in runs)
        {
            await dialer.WriteAsync(head, body);
        }

        dialer.CloseWrite();
        var received = new MemoryStream();
        await host.CopyToAsync(received).WaitAsync(Guard);

        received.ToArray().ShouldBe(runs.SelectMany(r => r.Head.Concat(r.Body)).ToArray());
    }

    [Fact]
    public async Task Runs_larger_than_the_window_wait_for_credit_granted_by_what_the_pipe_consumes()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);
        var head = RandomNumberGenerator.GetBytes(40);
        var body = RandomNumberGenerator.GetBytes(EdgeCircuit.Window * 3);

        var sending = Task.Run(async () =>
        {
            await dialer.WriteAsync(head, body);
            dialer.CloseWrite();
        });
        var received = new MemoryStream();
        var input = host.Input;
        while (true)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(Guard);
            foreach (var segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await sending.WaitAsync(Guard);
        received.ToArray().ShouldBe(head.Concat(body).ToArray());
    }

    [Fact]
    public async Task Bytes_the_pipe_only_examined_are_not_granted_to_the_peer()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);

        // Twice the window, of which the reader consumes nothing: the sender must stop at the window.
        var writing = dialer.WriteAsync(new byte[EdgeCircuit.Window], new byte[EdgeCircuit.Window]).AsTask();
        var input = host.Input;
        var result = await input.ReadAsync().AsTask().WaitAsync(Guard);
        while (result.Buffer.Length < EdgeCircuit.Window)
        {
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await input.ReadAsync().AsTask().WaitAsync(Guard);
        }

        result.Buffer.Length.ShouldBe(EdgeCircuit.Window);
        writing.IsCompleted.ShouldBeFalse();

        // Consuming it all grants the rest.
        input.AdvanceTo(result.Buffer.End);
        await writing.WaitAsync(Guard);
    }

    [Fact]
    public async Task Disposing_the_circuit_while_its_reader_holds_a_buffer_leaves_the_buffer_whole()
    {
        await using var pair = await LinkPair.ConnectAsync();
        var (dialer, host) = pair.Open(1);
        var sent = RandomNumberGenerator.GetBytes(200 * 1024);
        await dialer.WriteAsync(sent);
        dialer.CloseWrite();

        var input = host.Input;
        var result = await input.ReadAsync().AsTask().WaitAsync(Guard);
        while (!result.IsCompleted)
        {
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await input.ReadAsync().AsTask().WaitAsync(Guard);
        }

        // Disposed from elsewhere while the reader still parses what it was handed: the pipe's buffers stay the
        // reader's until it advances, and only then go back to the pool.
        await Task.Run(() => host.DisposeAsync().AsTask()).WaitAsync(Guard);
        result.Buffer.ToArray().ShouldBe(sent);
        input.AdvanceTo(result.Buffer.End);

        await Should.ThrowAsync<InvalidOperationException>(async () => await input.ReadAsync());
    }
}
