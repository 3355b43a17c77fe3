using System.Buffers;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Edge.Protocol;

namespace Hanzo.Zt.Edge.Tests;

/// <summary>Data frames encoded directly (the bulk path) are byte for byte the frames <see cref="EdgeFrame.Build"/> makes.</summary>
public sealed class DataFrameEncodingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(300)]
    [InlineData(16_406)]
    [InlineData(EdgeCircuit.MaxChunk)]
    public void A_directly_encoded_data_frame_equals_the_built_one(int length)
    {
        byte[] payload = new byte[length];
        new Random(length).NextBytes(payload);
        using var built = EdgeFrame.Build(EdgeFrameKind.Data, circuit: 0x8000_0003, value: 5, payload: payload, sequence: 0xABCDEF);
        var expected = new ArrayBufferWriter<byte>();
        MessageFraming.Write(built, MessageSerializer.GetSerializedSize(built), FrameFormat.LengthPrefixed, expected);

        byte[] header = new byte[EdgeFrame.DataHeaderBytes];
        int padding = EdgeFrame.WriteDataHeader(header, 0x8000_0003, 0xABCDEF, 5, length);
        byte[] direct = [.. header, .. payload, .. new byte[padding]];

        direct.ShouldBe(expected.WrittenSpan.ToArray());
    }
}
