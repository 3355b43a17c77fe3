namespace Hanzo.Zt.Capnp.Tests;

/// <summary>A builder emptied with <see cref="MessageBuilder.Reset"/> builds the same bytes as a new one.</summary>
public sealed class MessageBuilderResetTests
{
    [Fact]
    public void A_reset_builder_serializes_exactly_like_a_new_one()
    {
        var options = new MessageBuilderOptions { FirstSegmentWords = 4 };
        using var reused = new MessageBuilder(options);
        var first = reused.InitRoot(2, 2);
        first.WriteUInt64(0, ulong.MaxValue);
        first.WriteText(0, "a text long enough to need a second segment");
        reused.SegmentCount.ShouldBeGreaterThan(1);

        reused.Reset();
        Build(reused);
        using var fresh = new MessageBuilder(options);
        Build(fresh);

        reused.SegmentCount.ShouldBe(fresh.SegmentCount);
        MessageSerializer.ToArray(reused).ShouldBe(MessageSerializer.ToArray(fresh));
    }

    [Fact]
    public void A_disposed_builder_can_be_reset_and_used_again()
    {
        var builder = new MessageBuilder();
        builder.Dispose();

        builder.Reset();
        builder.InitRoot(1, 0).WriteInt32(0, 42);

        using var reader = MessageSerializer.Read(MessageSerializer.ToArray(builder));
        reader.GetRoot().ReadInt32(0).ShouldBe(42);
        builder.Dispose();
    }

    private static void Build(MessageBuilder builder) => builder.InitRoot(1, 0).WriteInt32(0, 7);
}
