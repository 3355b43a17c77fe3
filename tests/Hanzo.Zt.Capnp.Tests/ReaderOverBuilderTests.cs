namespace Hanzo.Zt.Capnp.Tests;

/// <summary>One <see cref="MessageReader"/> reset over message after message as they are built (local delivery).</summary>
public sealed class ReaderOverBuilderTests
{
    [Fact]
    public void A_reader_reset_over_builders_reads_each_message_including_far_pointers_across_segments()
    {
        var options = new MessageBuilderOptions { FirstSegmentWords = 4 };
        using var reader = new MessageReader(ReaderOptions.Default);
        using var small = new MessageBuilder(options);
        small.InitRoot(1, 0).WriteInt32(0, 7);
        using var large = new MessageBuilder(options);
        var root = large.InitRoot(1, 1);
        root.WriteInt64(0, -5);
        root.WriteText(0, "a text long enough to need a second segment");
        large.SegmentCount.ShouldBeGreaterThan(1);

        reader.Reset(large);
        reader.SegmentCount.ShouldBe(large.SegmentCount);
        reader.GetRoot().ReadInt64(0).ShouldBe(-5);
        reader.GetRoot().ReadText(0).ShouldBe("a text long enough to need a second segment");

        reader.Reset(small);
        reader.SegmentCount.ShouldBe(1);
        reader.GetRoot().ReadInt32(0).ShouldBe(7);
    }

    [Fact]
    public void Each_reset_restores_the_whole_traversal_budget()
    {
        using var builder = new MessageBuilder();
        builder.InitRoot(1, 1).WriteText(0, "budget");
        using var reader = new MessageReader(ReaderOptions.Default);

        reader.Reset(builder);
        _ = reader.GetRoot().ReadText(0);
        reader.TraversalRemainingWords.ShouldBeLessThan(ReaderOptions.Default.TraversalLimitInWords);

        reader.Reset(builder);
        reader.TraversalRemainingWords.ShouldBe(ReaderOptions.Default.TraversalLimitInWords);
    }

    [Fact]
    public void A_disposed_builder_is_refused_with_a_format_error()
    {
        var builder = new MessageBuilder();
        builder.InitRoot(1, 0);
        builder.Dispose();
        using var reader = new MessageReader(ReaderOptions.Default);

        Should.Throw<CapnpFormatException>(() => reader.Reset(builder));
    }
}
