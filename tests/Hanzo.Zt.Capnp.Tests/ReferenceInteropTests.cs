using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hanzo.Zt.Capnp.Dynamic;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>Messages move between our runtime and the reference <c>capnp</c> tool with nothing lost or changed.</summary>
public sealed class ReferenceInteropTests
{
    private static readonly Lazy<SchemaSet> Schema = new(() => SchemaSet.Load(ReferenceTool.SchemaFile));

    private static Compiler.SchemaNode Everything => Schema.Value.GetStruct("Everything");

    [Theory]
    [MemberData(nameof(ReferenceTool.Messages), MemberType = typeof(ReferenceTool))]
    public void Reference_encoded_messages_read_as_the_reference_decodes_them(string name)
    {
        byte[] encoded = ReferenceTool.Encode(ReferenceTool.Message(name));
        using var message = MessageSerializer.Read(encoded);
        ReadAsText(message).ShouldBe(ReferenceTool.DecodeShort(encoded));
    }

    [Theory]
    [MemberData(nameof(ReferenceTool.Messages), MemberType = typeof(ReferenceTool))]
    public void Multi_segment_messages_from_the_reference_read_the_same(string name)
    {
        string text = ReferenceTool.Message(name);
        string expected = ReferenceTool.DecodeShort(ReferenceTool.Encode(text));
        foreach (int words in new[] { 1, 3, 16 })
        {
            byte[] encoded = ReferenceTool.Encode(text, $"--segment-size={words}");
            using var message = MessageSerializer.Read(encoded);
            (message.SegmentCount > 1 || name == "empty").ShouldBeTrue();
            ReadAsText(message).ShouldBe(expected, $"segment size {words}");
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceTool.Messages), MemberType = typeof(ReferenceTool))]
    public void Packed_messages_from_the_reference_unpack_the_same_and_we_pack_identically(string name)
    {
        string text = ReferenceTool.Message(name);
        byte[] binary = ReferenceTool.Encode(text);
        byte[] packed = ReferenceTool.Encode(text, "--packed");
        using var message = PackedEncoding.ReadPacked(packed, out int consumed);
        consumed.ShouldBe(packed.Length);
        ReadAsText(message).ShouldBe(ReferenceTool.DecodeShort(binary));

        var ours = new ArrayBufferWriter<byte>();
        PackedEncoding.Pack(binary, ours);
        ours.WrittenSpan.ToArray().ShouldBe(packed);
    }

    [Theory]
    [MemberData(nameof(ReferenceTool.Messages), MemberType = typeof(ReferenceTool))]
    public void Json_matches_the_reference_for_every_field(string name)
    {
        byte[] encoded = ReferenceTool.Encode(ReferenceTool.Message(name));
        using var message = MessageSerializer.Read(encoded);
        string ours = JsonFormat.Format(new DynamicReader(Schema.Value).ReadStruct(message.GetRoot(), Everything));
        string reference = Encoding.UTF8.GetString(ReferenceTool.Run(encoded, "convert", "binary:json", "everything.capnp", "Everything"));
        JsonNode.DeepEquals(JsonNode.Parse(ours), JsonNode.Parse(reference)).ShouldBeTrue($"ours:\n{ours}\nreference:\n{reference}");
    }

    [Theory]
    [MemberData(nameof(ReferenceTool.Messages), MemberType = typeof(ReferenceTool))]
    public void Messages_we_build_decode_with_the_reference(string name)
    {
        string text = ReferenceTool.Message(name);
        var value = Schema.Value.ParseText(text, Everything).ShouldHaveSingleItem();

        // Tiny segments force far pointers (and double-far ones where a landing pad does not fit).
        using var built = new DynamicBuilder(Schema.Value).Build((DynamicStruct)value, Everything, new MessageBuilderOptions { FirstSegmentWords = 2, FixedSegmentSize = true });
        byte[] ours = MessageSerializer.ToArray(built);
        ReferenceTool.DecodeShort(ours).ShouldBe(ReferenceTool.DecodeShort(ReferenceTool.Encode(text)));
    }

    [Theory]
    [MemberData(nameof(ReferenceTool.Messages), MemberType = typeof(ReferenceTool))]
    public void Messages_built_from_reference_json_round_trip(string name)
    {
        byte[] encoded = ReferenceTool.Encode(ReferenceTool.Message(name));
        byte[] json = ReferenceTool.Run(encoded, "convert", "binary:json", "everything.capnp", "Everything");
        var value = JsonFormat.Parse(json, Schema.Value, Everything).ShouldHaveSingleItem();
        using var built = new DynamicBuilder(Schema.Value).Build(value, Everything);
        ReferenceTool.DecodeShort(MessageSerializer.ToArray(built)).ShouldBe(ReferenceTool.DecodeShort(encoded));
    }

    [Theory]
    [MemberData(nameof(ReferenceTool.Messages), MemberType = typeof(ReferenceTool))]
    public void Canonical_form_is_byte_identical_to_the_reference(string name)
    {
        byte[] encoded = ReferenceTool.Encode(ReferenceTool.Message(name), "--segment-size=5");
        byte[] reference = ReferenceTool.Run(encoded, "convert", "binary:canonical", "everything.capnp", "Everything");
        using var message = MessageSerializer.Read(encoded);
        byte[] ours = CanonicalEncoding.Canonicalize(message.Root);
        ours.ShouldBe(reference);
        CanonicalEncoding.IsCanonical(ours).ShouldBeTrue();
    }

    [Fact]
    public async Task A_stream_of_messages_reads_one_by_one()
    {
        byte[] first = ReferenceTool.Encode(ReferenceTool.Message("full"));
        byte[] second = ReferenceTool.Encode(ReferenceTool.Message("numbers"), "--segment-size=4");
        var stream = new MemoryStream([.. first, .. second]);
        using var a = (await MessageSerializer.ReadAsync(stream))!;
        using var b = (await MessageSerializer.ReadAsync(stream))!;
        (await MessageSerializer.ReadAsync(stream)).ShouldBeNull();
        ReadAsText(a).ShouldBe(ReferenceTool.DecodeShort(first));
        ReadAsText(b).ShouldBe(ReferenceTool.DecodeShort(second));
    }

    [Fact]
    public void Pipe_buffers_yield_whole_messages_only()
    {
        byte[] encoded = ReferenceTool.Encode(ReferenceTool.Message("full"), "--segment-size=7");
        var partial = new ReadOnlySequence<byte>(encoded.AsMemory(0, encoded.Length - 1));
        MessageSerializer.TryRead(ref partial, ReaderOptions.Default, out var none).ShouldBeFalse();
        none.ShouldBeNull();

        var whole = new ReadOnlySequence<byte>([.. encoded, .. encoded]);
        MessageSerializer.TryRead(ref whole, ReaderOptions.Default, out var message).ShouldBeTrue();
        using (message)
        {
            whole.Length.ShouldBe(encoded.Length);
            ReadAsText(message!).ShouldBe(ReferenceTool.DecodeShort(encoded));
        }
    }

    [Fact]
    public void A_reader_reset_onto_each_message_reads_them_all_with_a_fresh_budget()
    {
        byte[] first = ReferenceTool.Encode(ReferenceTool.Message("wide"), "--segment-size=9");
        byte[] second = ReferenceTool.Encode(ReferenceTool.Message("full"));
        using var reader = new MessageReader([new byte[8]], new ReaderOptions { TraversalLimitInWords = 20_000 });
        for (int round = 0; round < 5; round++)
        {
            reader.Reset(first).ShouldBe(first.Length);
            ReadAsText(reader).ShouldBe(ReferenceTool.DecodeShort(first));
            reader.Reset(second);
            ReadAsText(reader).ShouldBe(ReferenceTool.DecodeShort(second));
        }
    }

    [Fact]
    public void Generic_fields_read_and_write_through_their_brands()
    {
        var schema = SchemaSet.Load(Path.Combine(ReferenceTool.SchemaDirectory, "generics.capnp"));
        var holder = schema.GetStruct("Holder");
        string text = "(texts = (value = \"hi\", label = \"t\"), items = (value = (n = 5)), pair = (first = \"a\", second = (n = 1), " +
            "inner = (value = (n = 2))), list = (value = [(n = 1), (n = 2)]))";
        byte[] encoded = ReferenceTool.Run(Encoding.UTF8.GetBytes(text), "encode", "generics.capnp", "Holder");
        using var message = MessageSerializer.Read(encoded);
        var value = new DynamicReader(schema).ReadStruct(message.GetRoot(), holder);
        TextFormat.Format(value).ShouldBe(text);

        string json = Encoding.UTF8.GetString(ReferenceTool.Run(encoded, "convert", "binary:json", "generics.capnp", "Holder"));
        JsonNode.DeepEquals(JsonNode.Parse(JsonFormat.Format(value)), JsonNode.Parse(json)).ShouldBeTrue();

        using var built = new DynamicBuilder(schema).Build(JsonFormat.Parse(Encoding.UTF8.GetBytes(json), schema, holder).ShouldHaveSingleItem(), holder);
        Encoding.UTF8.GetString(ReferenceTool.Run(MessageSerializer.ToArray(built), "decode", "--short", "generics.capnp", "Holder")).TrimEnd('\n').ShouldBe(text);

        var parsed = (DynamicStruct)schema.ParseText(text, holder).ShouldHaveSingleItem();
        using var fromText = new DynamicBuilder(schema).Build(parsed, holder);
        Encoding.UTF8.GetString(ReferenceTool.Run(MessageSerializer.ToArray(fromText), "decode", "--short", "generics.capnp", "Holder")).TrimEnd('\n').ShouldBe(text);
    }

    private static string ReadAsText(MessageReader message) =>
        TextFormat.Format(new DynamicReader(Schema.Value).ReadStruct(message.GetRoot(), Everything));
}
