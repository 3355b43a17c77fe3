using System.Text;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Testing;

namespace Hanzo.Zt.Edge.Tests;

/// <summary>
/// <see cref="EdgeFrame"/> against edge.capnp as the reference <c>capnp</c> tool reads it: frames the tool encodes
/// from the schema are byte for byte the frames <see cref="EdgeFrame.Build"/> and the data-frame fast path write,
/// and the tool decodes ours to the same fields.
/// </summary>
public sealed class EdgeFrameReferenceTests
{
    public static TheoryData<string, EdgeFrameKind, uint, ulong, ulong, string?, string?, string?> Frames() => new()
    {
        { "(kind = hello, peer = \"hanzo-zt-router\")", EdgeFrameKind.Hello, 0, 0, 0, null, null, "hanzo-zt-router" },
        { "(kind = bind, circuit = 3, value = 7, token = \"session-token\")", EdgeFrameKind.Bind, 3, 0, 7, "session-token", null, null },
        { "(kind = connect, circuit = 42, token = \"service-id\", peer = \"dialer-id\")", EdgeFrameKind.Connect, 42, 0, 0, "service-id", null, "dialer-id" },
        { "(kind = data, circuit = 9, sequence = 123456789, payload = \"twelve bytes\")", EdgeFrameKind.Data, 9, 123456789, 0, null, "twelve bytes", null },
        { "(kind = close, circuit = 5, value = 2, payload = \"gone\")", EdgeFrameKind.Close, 5, 0, 2, null, "gone", null },
        { "(kind = credit, circuit = 4294967295, value = 524288)", EdgeFrameKind.Credit, uint.MaxValue, 0, 524288, null, null, null },
        { "(kind = directUsage, circuit = 1, sequence = 1000, value = 2000)", EdgeFrameKind.DirectUsage, 1, 1000, 2000, null, null, null },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task The_reference_encoding_of_a_frame_is_the_one_EdgeFrame_builds(string text, EdgeFrameKind kind, uint circuit, ulong sequence, ulong value, string? token, string? payload, string? peer)
    {
        var reference = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes(text), "encode", "edge.capnp", "Frame");

        using var frame = EdgeFrame.Build(kind, circuit, value, token, payload is null ? default : Encoding.UTF8.GetBytes(payload), peer, sequence);
        MessageSerializer.ToArray(frame).ShouldBe(reference);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task The_reference_tool_decodes_a_built_frame_to_its_fields(string text, EdgeFrameKind kind, uint circuit, ulong sequence, ulong value, string? token, string? payload, string? peer)
    {
        using var frame = EdgeFrame.Build(kind, circuit, value, token, payload is null ? default : Encoding.UTF8.GetBytes(payload), peer, sequence);

        var decoded = await ReferenceTool.RunAsync(MessageSerializer.ToArray(frame), "decode", "--short", "edge.capnp", "Frame");

        // The tool prints every field; the reference encoding of the same text decodes to the same line.
        var expected = await ReferenceTool.RunAsync(await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes(text), "encode", "edge.capnp", "Frame"), "decode", "--short", "edge.capnp", "Frame");
        Encoding.UTF8.GetString(decoded).ShouldBe(Encoding.UTF8.GetString(expected));
        Encoding.UTF8.GetString(decoded).ShouldContain($"circuit = {circuit}");
    }

    [Fact]
    public async Task A_data_frame_from_the_fast_path_is_the_reference_encoding()
    {
        var payload = Encoding.UTF8.GetBytes("a payload of thirty-one bytes!!");
        var reference = await ReferenceTool.RunAsync(Encoding.UTF8.GetBytes("(kind = data, circuit = 77, sequence = 4096, payload = \"a payload of thirty-one bytes!!\")"), "encode", "edge.capnp", "Frame");

        var header = new byte[EdgeFrame.DataHeaderBytes];
        int padding = EdgeFrame.WriteDataHeader(header, 77, 4096, 0, payload.Length);
        var framed = header.Concat(payload).Concat(new byte[padding]).ToArray();

        framed.AsSpan(4).ToArray().ShouldBe(reference); // after the 4-byte length prefix
    }
}
