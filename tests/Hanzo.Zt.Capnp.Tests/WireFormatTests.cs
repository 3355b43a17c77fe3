using static Hanzo.Zt.Capnp.Tests.HostileInputTests;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>Encoding rules of the spec that the reference tool does not exercise on its own.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void Double_far_pointers_are_followed()
    {
        // Segment 0: root = double-far to segment 1 word 0. Segment 1: landing pad (far to segment 2 word 0) and the
        // tag (a struct of one data word). Segment 2: the struct's data.
        byte[] s0 = Bytes(Far(segment: 1, word: 0, doubleFar: true));
        byte[] s1 = Bytes(Far(segment: 2, word: 0), Struct(0, 1, 0));
        byte[] s2 = Bytes(0x2A);
        using var message = new MessageReader([s0, s1, s2]);
        message.GetRoot().ReadUInt64(0).ShouldBe(42UL);
    }

    [Fact]
    public void Fields_beyond_an_older_struct_read_as_their_defaults()
    {
        using var builder = new MessageBuilder();
        builder.InitRoot(1, 0).WriteUInt32(0, 7);
        using var message = builder.AsReader();
        var root = message.GetRoot();
        root.ReadUInt32(0).ShouldBe(7u);
        root.ReadUInt32(2, 99).ShouldBe(99u);
        root.ReadBool(200, true).ShouldBeTrue();
        root.ReadText(3).ShouldBe(string.Empty);
        root.ReadStruct(0).DataSize.ShouldBe(0);
    }

    [Fact]
    public void Defaults_are_xored_so_a_field_at_its_default_is_stored_as_zero()
    {
        using var builder = new MessageBuilder();
        var root = builder.InitRoot(2, 0);
        root.WriteInt32(0, -123, -123);
        root.WriteFloat64(1, 1.5, 1.5);
        root.DataSection.ToArray().ShouldAllBe(b => b == 0);
        root.WriteInt32(0, 5, -123);
        using var message = builder.AsReader();
        message.GetRoot().ReadInt32(0, -123).ShouldBe(5);
        message.GetRoot().ReadFloat64(1, 1.5).ShouldBe(1.5);
    }

    [Fact]
    public void Zero_sized_structs_are_not_null()
    {
        using var builder = new MessageBuilder();
        builder.InitRoot(0, 0);
        using var message = builder.AsReader();
        message.Root.Kind.ShouldBe(PointerKind.Struct);
        message.GetRoot().DataSize.ShouldBe(0);
    }

    [Fact]
    public void A_primitive_list_reads_as_a_list_of_structs_holding_that_field()
    {
        using var builder = new MessageBuilder();
        var list = builder.Root.InitList(ListElementSize.FourBytes, 3);
        list.SetUInt32(0, 10);
        list.SetUInt32(1, 20);
        list.SetUInt32(2, 30);
        using var message = builder.AsReader();
        var structs = message.Root.GetList(ListElementSize.InlineComposite);
        structs.GetStruct(1).ReadUInt32(0).ShouldBe(20u);
        structs.GetStruct(1).ReadUInt32(1).ShouldBe(0u);
    }

    [Fact]
    public void A_struct_list_reads_as_a_list_of_its_first_field()
    {
        using var builder = new MessageBuilder();
        var list = builder.Root.InitStructList(2, 1, 1);
        list.GetStruct(0).WriteUInt64(0, 5);
        list.GetStruct(1).WriteUInt64(0, 6);
        list.GetStruct(1).GetPointer(0).SetText("six");
        using var message = builder.AsReader();
        var values = message.Root.GetList(ListElementSize.EightBytes);
        values.GetUInt64(1).ShouldBe(6UL);
        message.Root.GetList(ListElementSize.Pointer).GetPointer(1).GetText().ShouldBe("six");
    }

    [Fact]
    public void Content_that_does_not_fit_its_segment_goes_through_far_pointers()
    {
        using var builder = new MessageBuilder(new MessageBuilderOptions { FirstSegmentWords = 1, FixedSegmentSize = true });
        var root = builder.InitRoot(1, 2);
        root.WriteUInt64(0, 1);
        root.WriteText(0, "far away");
        root.InitStructList(1, 3, 1, 0).GetStruct(2).WriteUInt64(0, 3);
        builder.SegmentCount.ShouldBeGreaterThan(2);
        using var message = MessageSerializer.Read(MessageSerializer.ToArray(builder));
        message.GetRoot().ReadText(0).ShouldBe("far away");
        message.GetRoot().ReadList(1, ListElementSize.InlineComposite).GetStruct(2).ReadUInt64(0).ShouldBe(3UL);
    }

    [Fact]
    public void Canonical_form_truncates_and_orders_and_is_stable()
    {
        using var builder = new MessageBuilder(new MessageBuilderOptions { FirstSegmentWords = 2, FixedSegmentSize = true });
        var root = builder.InitRoot(4, 3);
        root.WriteUInt32(1, 9);
        root.WriteText(1, "b");
        root.WriteText(0, "a");
        using var message = MessageSerializer.Read(MessageSerializer.ToArray(builder));
        byte[] canonical = CanonicalEncoding.Canonicalize(message.Root);
        using var flat = new MessageReader([canonical]);
        flat.GetRoot().DataSize.ShouldBe(8);
        flat.GetRoot().PointerCount.ShouldBe(2);
        flat.GetRoot().ReadText(0).ShouldBe("a");
        CanonicalEncoding.Canonicalize(flat.Root).ShouldBe(canonical);
        using var padded = new MessageBuilder(new MessageBuilderOptions { SingleSegment = true });
        padded.InitRoot(4, 3).WriteUInt32(1, 9);
        CanonicalEncoding.IsCanonical(padded.GetSegment(0)).ShouldBeFalse();
    }

    [Fact]
    public void Capabilities_are_indexes_into_the_capability_table()
    {
        using var builder = new MessageBuilder();
        builder.InitRoot(0, 1).GetPointer(0).SetCapability(3);
        using var message = builder.AsReader();
        message.GetRoot().GetPointer(0).GetCapabilityIndex().ShouldBe(3u);
        message.GetRoot().GetPointer(0).Kind.ShouldBe(PointerKind.Capability);
    }
}
