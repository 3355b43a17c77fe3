using System.Buffers;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>The writer's batch: appends across pooled arrays and reads back as the same bytes, in order.</summary>
public sealed class BatchBufferTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public void Appends_that_cross_arrays_read_back_as_one_run_of_the_same_bytes()
    {
        var batch = new BatchBuffer(segmentBytes: 1024);
        var expected = new List<byte>();
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var chunk = new byte[random.Next(0, 3000)];
            random.NextBytes(chunk);
            batch.Write(chunk);
            expected.AddRange(chunk);
            int zeros = random.Next(0, 8);
            batch.WriteZeros(zeros);
            expected.AddRange(new byte[zeros]);
        }

        var written = batch.WrittenSequence;
        written.IsSingleSegment.ShouldBeFalse();
        batch.WrittenCount.ShouldBe(expected.Count);
        written.ToArray().ShouldBe(expected.ToArray());
    }

    [Fact]
    public void A_span_asked_for_is_contiguous_even_when_larger_than_an_array()
    {
        var batch = new BatchBuffer(segmentBytes: 1024);
        batch.Write(new byte[1000]);
        var span = batch.GetSpan(5000);
        span.Length.ShouldBeGreaterThanOrEqualTo(5000);
        span[..5000].Fill(9);
        batch.Advance(5000);

        var written = batch.WrittenSequence;
        written.Length.ShouldBe(6000);
        written.Slice(1000).ToArray().ShouldAllBe(b => b == 9);
    }

    [Fact]
    public void Advancing_past_what_was_handed_out_throws_and_reset_empties_the_batch_for_reuse()
    {
        var batch = new BatchBuffer(segmentBytes: 1024);
        Should.Throw<InvalidOperationException>(() => batch.Advance(1));
        int handed = batch.GetSpan(10).Length;
        Should.Throw<InvalidOperationException>(() => batch.Advance(handed + 1));

        batch.Write(new byte[4000]);
        batch.Reset();
        batch.WrittenCount.ShouldBe(0);
        batch.WrittenSequence.IsEmpty.ShouldBeTrue();

        batch.Write([1, 2, 3]);
        batch.WrittenSequence.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
    }

    [Fact]
    public async Task A_stream_writer_sends_a_batch_of_many_arrays_byte_for_byte_and_then_flushes()
    {
        using var output = new MemoryStream();
        var writer = new StreamFrameWriter(output, FrameFormat.LengthPrefixed, maxMessageBytes: 1 << 20, maxPendingBytes: 1 << 24, bufferBytes: 4096);
        var expected = new List<byte>();
        var random = new Random(11);
        writer.Cork();
        for (int i = 0; i < 64; i++)
        {
            var header = new byte[8];
            var body = new byte[random.Next(1, 7_000)]; // about 220 KB in all: under what a cork holds back
            random.NextBytes(header);
            random.NextBytes(body);
            int padding = random.Next(0, 8);
            writer.TryWrite(header, body, padding).ShouldBe(FrameWriteResult.Queued);
            expected.AddRange(header);
            expected.AddRange(body);
            expected.AddRange(new byte[padding]);
        }

        writer.PendingBytes.ShouldBe(expected.Count);
        writer.Uncork();
        await writer.CloseAndDrainAsync(Guard);

        output.ToArray().ShouldBe(expected.ToArray());
        writer.PendingBytes.ShouldBe(0);
    }
}
