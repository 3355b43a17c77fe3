using System.Buffers;
using System.IO.Pipelines;
using static Hanzo.Zt.Capnp.Tests.FramingSamples;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>The shared framing and batched writer: what one side writes, the other cuts back into the same messages.</summary>
public sealed class FramingTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(FrameFormat.LengthPrefixed)]
    [InlineData(FrameFormat.Standard)]
    public async Task Messages_written_by_a_FrameWriter_are_read_back_in_order(FrameFormat format)
    {
        var pipe = new Pipe();
        var writer = new PipeFrameWriter(pipe.Writer, format, maxMessageBytes: 1 << 20, maxPendingBytes: 1 << 24);
        writer.Cork();
        for (int i = 0; i < 100; i++)
        {
            using var message = Message(i, new string('x', i * 10));
            writer.TryWrite(message).ShouldBe(FrameWriteResult.Queued);
        }

        writer.Uncork();
        (await writer.CloseAndDrainAsync(Guard)).ShouldBeTrue();
        await pipe.Writer.CompleteAsync();

        var read = new List<int>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync().AsTask().WaitAsync(Guard);
            var buffer = result.Buffer;
            while (MessageFraming.TryRead(ref buffer, format, 1 << 20, ReaderOptions.Default, out var message))
            {
                using (message)
                {
                    read.Add(message!.GetRoot().ReadInt32(0));
                }
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                buffer.IsEmpty.ShouldBeTrue();
                break;
            }
        }

        read.ShouldBe(Enumerable.Range(0, 100));
    }

    [Fact]
    public void A_partial_frame_needs_more_bytes_and_consumes_nothing()
    {
        using var message = Message(7, "text");
        byte[] framed = Frame(message);
        var buffer = new ReadOnlySequence<byte>(framed, 0, framed.Length - 1);

        MessageFraming.TryRead(ref buffer, FrameFormat.LengthPrefixed, 1024, ReaderOptions.Default, out var read).ShouldBeFalse();

        read.ShouldBeNull();
        buffer.Length.ShouldBe(framed.Length - 1);
    }

    [Theory]
    [InlineData(0u, "zero-length")]
    [InlineData(4096u, "limit")]
    public void A_bad_length_prefix_is_a_format_error(uint length, string expected)
    {
        byte[] bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, length);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Should.Throw<CapnpFormatException>(() => MessageFraming.TryRead(ref buffer, FrameFormat.LengthPrefixed, 1024, ReaderOptions.Default, out _))
            .Message.ShouldContain(expected);
    }

    [Fact]
    public void A_frame_with_bytes_after_its_message_is_a_format_error()
    {
        using var message = Message(1, "");
        byte[] framed = Frame(message);
        byte[] padded = new byte[framed.Length + 8];
        framed.CopyTo(padded, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(padded, (uint)(framed.Length - 4 + 8));
        var buffer = new ReadOnlySequence<byte>(padded);

        Should.Throw<CapnpFormatException>(() => MessageFraming.TryRead(ref buffer, FrameFormat.LengthPrefixed, 1024, ReaderOptions.Default, out _));
    }

    [Fact]
    public void A_message_over_the_limit_is_refused_and_the_writer_stays_open()
    {
        var writer = new PipeFrameWriter(new Pipe().Writer, FrameFormat.LengthPrefixed, maxMessageBytes: 64, maxPendingBytes: 1024);
        using var large = Message(1, new string('x', 200));
        using var small = Message(2, "");

        writer.TryWrite(large).ShouldBe(FrameWriteResult.TooLarge);
        writer.TryWrite(small).ShouldBe(FrameWriteResult.Queued);
    }

    [Fact]
    public void A_peer_that_does_not_read_closes_the_writer_at_the_pending_limit()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32));
        var writer = new PipeFrameWriter(pipe.Writer, FrameFormat.LengthPrefixed, maxMessageBytes: 512, maxPendingBytes: 2048);
        using var message = Message(1, new string('x', 300));

        var results = Enumerable.Range(0, 20).Select(_ => writer.TryWrite(message)).ToList();

        results.ShouldContain(FrameWriteResult.PeerNotReading);
        writer.TryWrite(message).ShouldBe(FrameWriteResult.Closed);
        writer.IsClosed.ShouldBeTrue();
    }

    [Fact]
    public async Task What_is_queued_for_a_peer_that_does_not_read_is_dropped_at_close_not_written()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32));
        using var stop = new CancellationTokenSource();
        var writer = new PipeFrameWriter(pipe.Writer, FrameFormat.LengthPrefixed, maxMessageBytes: 512, maxPendingBytes: 2048, cancellationToken: stop.Token);
        using var message = Message(1, new string('x', 300));
        while (writer.TryWrite(message) == FrameWriteResult.Queued)
        {
        }

        // As a connection does when it cuts the peer off: the write under way is given up, and nothing more goes out.
        await stop.CancelAsync();
        (await writer.CloseAndDrainAsync(Guard).WaitAsync(Guard)).ShouldBeFalse();
        pipe.Writer.UnflushedBytes.ShouldBe(0);
    }

    [Fact]
    public void A_corked_writer_is_not_cut_off_and_starts_writing_once_a_large_batch_has_gathered()
    {
        var pipe = new Pipe();
        var writer = new PipeFrameWriter(pipe.Writer, FrameFormat.LengthPrefixed, maxMessageBytes: 64 * 1024, maxPendingBytes: 64 * 1024);
        using var message = Message(1, new string('x', 16 * 1024));
        writer.Cork();

        // Nearly four times the pending limit, behind a cork: nothing was offered to the peer yet, so nothing says it
        // is not reading.
        for (int i = 0; i < 15; i++)
        {
            writer.TryWrite(message).ShouldBe(FrameWriteResult.Queued);
        }

        // Past the corked batch size the write starts anyway.
        pipe.Reader.TryRead(out _).ShouldBeFalse();
        long written = 0;
        for (int i = 0; i < 16 && written == 0; i++)
        {
            writer.TryWrite(message).ShouldBe(FrameWriteResult.Queued);
            if (pipe.Reader.TryRead(out var read))
            {
                written = read.Buffer.Length;
                pipe.Reader.AdvanceTo(read.Buffer.End);
            }
        }

        written.ShouldBeGreaterThanOrEqualTo(256 * 1024);
    }

    [Fact]
    public async Task A_producer_waiting_for_room_resumes_when_the_peer_reads_and_hears_of_a_stall_when_it_does_not()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4096, resumeWriterThreshold: 2048));
        var writer = new PipeFrameWriter(pipe.Writer, FrameFormat.LengthPrefixed, maxMessageBytes: 4096, maxPendingBytes: 1 << 20);
        using var message = Message(1, new string('x', 3000));
        for (int i = 0; i < 8; i++)
        {
            writer.TryWrite(message).ShouldBe(FrameWriteResult.Queued);
        }

        writer.PendingBytes.ShouldBeGreaterThan(4096);
        (await writer.WaitForRoomAsync(4096, TimeSpan.FromMilliseconds(200)).AsTask().WaitAsync(Guard)).ShouldBeFalse();

        // The peer reads: the batches behind the first one go, and the producer may go on. Room is signalled after
        // the write that took the last batch completes, so the reader may have taken everything a moment before the
        // producer hears of it: each read also ends when the room does.
        var room = writer.WaitForRoomAsync(4096, Guard).AsTask();
        while (!room.IsCompleted)
        {
            var read = pipe.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(read, room).WaitAsync(Guard) != read)
            {
                pipe.Reader.CancelPendingRead();
            }

            var result = await read.WaitAsync(Guard);
            pipe.Reader.AdvanceTo(result.Buffer.End);
        }

        (await room).ShouldBeTrue();
    }

    [Fact]
    public async Task A_drain_the_transport_does_not_take_in_time_reports_failure_instead_of_waiting()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32));
        var writer = new PipeFrameWriter(pipe.Writer, FrameFormat.LengthPrefixed, maxMessageBytes: 512, maxPendingBytes: 2048);
        using var message = Message(1, new string('x', 300));
        writer.TryWrite(message).ShouldBe(FrameWriteResult.Queued);
        writer.TryWrite(message).ShouldBe(FrameWriteResult.Queued);

        (await writer.CloseAndDrainAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(Guard)).ShouldBeFalse();
        writer.TryWrite(message).ShouldBe(FrameWriteResult.Closed);
    }
}
