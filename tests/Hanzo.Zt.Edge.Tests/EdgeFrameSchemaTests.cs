using Hanzo.Zt.Capnp;
using Hanzo.Zt.Capnp.Dynamic;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Edge.Tests;

/// <summary>
/// <see cref="EdgeFrame"/> is written by hand against edge.capnp: frames it builds, read back through the schema
/// file by the schema compiler, hold every field where the schema says, and every kind has the schema's name.
/// </summary>
public sealed class EdgeFrameSchemaTests
{
    private static readonly Lazy<SchemaSet> Schema = new(() => SchemaSet.Load(Path.Combine(AppContext.BaseDirectory, "Schemas", "edge.capnp")));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_built_frame_reads_back_through_edge_capnp_field_by_field(EdgeFrameKind kind)
    {
        byte[] payload = [1, 2, 3, 250];
        using var frame = EdgeFrame.Build(kind, circuit: 0x8000_0007, value: 0x1122_3344_5566_7788, token: "token-x", payload: payload, peer: "peer-y", sequence: 0x0102_0304_0506_0708);
        using var message = MessageSerializer.Read(MessageSerializer.ToArray(frame));

        var fields = new DynamicReader(Schema.Value).ReadStruct(message.GetRoot(), Schema.Value.GetStruct("Frame")).Fields.ToDictionary(f => f.Key, f => f.Value);

        ((DynamicEnum)fields["kind"]).Name.ShouldBe(kind.ToString(), StringCompareShould.IgnoreCase);
        ((DynamicUInt)fields["circuit"]).Value.ShouldBe(0x8000_0007UL);
        ((DynamicUInt)fields["sequence"]).Value.ShouldBe(0x0102_0304_0506_0708UL);
        ((DynamicUInt)fields["value"]).Value.ShouldBe(0x1122_3344_5566_7788UL);
        ((DynamicText)fields["token"]).Value.ShouldBe("token-x");
        ((DynamicData)fields["payload"]).Value.ShouldBe(payload);
        ((DynamicText)fields["peer"]).Value.ShouldBe("peer-y");
    }

    [Fact]
    public void The_schema_has_no_frame_kind_that_EdgeFrameKind_lacks()
    {
        using var frame = EdgeFrame.Build((EdgeFrameKind)(Enum.GetValues<EdgeFrameKind>().Max() + 1), circuit: 1);
        using var message = MessageSerializer.Read(MessageSerializer.ToArray(frame));

        var fields = new DynamicReader(Schema.Value).ReadStruct(message.GetRoot(), Schema.Value.GetStruct("Frame")).Fields.ToDictionary(f => f.Key, f => f.Value);

        ((DynamicEnum)fields["kind"]).Name.ShouldBeNull();
    }

    public static TheoryData<EdgeFrameKind> Kinds() => new(Enum.GetValues<EdgeFrameKind>());
}
