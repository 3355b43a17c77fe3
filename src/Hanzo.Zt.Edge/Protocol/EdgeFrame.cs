using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Edge.Protocol;

/// <summary>The kinds of edge frames (<c>Frame.Kind</c> in edge.capnp); the values are the wire values.</summary>
public enum EdgeFrameKind : ushort
{
    /// <summary>The first frame each way.</summary>
    Hello = 0,

    /// <summary>Host to router: terminate the token's service here.</summary>
    Bind = 1,

    /// <summary>Router to host: the bind is live.</summary>
    Bound = 2,

    /// <summary>Host to router: stop terminating.</summary>
    Unbind = 3,

    /// <summary>Dialer to router: open a circuit to the token's service.</summary>
    Dial = 4,

    /// <summary>The circuit is spliced (router to dialer) or accepted (host to router).</summary>
    Dialed = 5,

    /// <summary>Router to host: a dialer wants a circuit.</summary>
    Connect = 6,

    /// <summary>Bytes on a circuit.</summary>
    Data = 7,

    /// <summary>The sender will send no more on the circuit.</summary>
    Close = 8,

    /// <summary>The sender can take more bytes on the circuit.</summary>
    Credit = 9,

    /// <summary>Liveness probe.</summary>
    Ping = 10,

    /// <summary>Answer to a ping.</summary>
    Pong = 11,

    /// <summary>A bind, dial or connect failed.</summary>
    Fault = 12,

    /// <summary>Host to router: the calls the host has served on the circuit so far (a running total), for billing.</summary>
    Usage = 13,

    /// <summary>
    /// Host to router: the bytes exchanged with the dialer on a direct path so far (running totals: <see cref="EdgeFrame.Sequence"/>
    /// from the dialer, <see cref="EdgeFrame.Value"/> to it), for billing the bytes the router does not relay.
    /// </summary>
    DirectUsage = 14,
}

/// <summary>A received edge frame, read in place from its message (edge.capnp <c>Frame</c>: 3 data words, 3 pointers).</summary>
public readonly struct EdgeFrame
{
    internal const int DataWords = 3, Pointers = 3;
    private readonly StructReader _s;

    internal EdgeFrame(StructReader s) => _s = s;

    /// <summary>What the frame is.</summary>
    public EdgeFrameKind Kind => (EdgeFrameKind)_s.ReadUInt16(0);

    /// <summary>The circuit (or bind request) it belongs to.</summary>
    public uint Circuit => _s.ReadUInt32(1);

    /// <summary>Data: the stream position of the payload's first byte; direct usage: bytes received from the dialer directly.</summary>
    public ulong Sequence => _s.ReadUInt64(1);

    /// <summary>Credit bytes, bind cost, ping nonce, fault code, calls served so far (usage) or bytes sent to the dialer directly (direct usage).</summary>
    public ulong Value => _s.ReadUInt64(2);

    /// <summary>Bind and dial: the session token; connect: the service id.</summary>
    public string Token => _s.ReadText(0);

    /// <summary>Data bytes, or a close or fault reason in UTF-8.</summary>
    public ReadOnlyMemory<byte> Payload => _s.ReadData(1);

    /// <summary>Connect: the dialing identity; hello: the sender's version.</summary>
    public string Peer => _s.ReadText(2);

    /// <summary>The payload as text (close and fault reasons).</summary>
    public string Reason => System.Text.Encoding.UTF8.GetString(Payload.Span);

    internal static EdgeFrame Read(MessageReader message) => new(message.GetRoot());

    /// <summary>Builds a frame message.</summary>
    public static MessageBuilder Build(EdgeFrameKind kind, uint circuit, ulong value = 0, string? token = null, ReadOnlySpan<byte> payload = default, string? peer = null, ulong sequence = 0)
    {
        var message = new MessageBuilder(BuilderOptions(payload.Length));
        var s = message.InitRoot(DataWords, Pointers);
        s.WriteUInt16(0, (ushort)kind);
        s.WriteUInt32(1, circuit);
        s.WriteUInt64(1, sequence);
        s.WriteUInt64(2, value);
        if (token is not null)
        {
            s.WriteText(0, token);
        }

        if (!payload.IsEmpty)
        {
            s.WriteData(1, payload);
        }

        if (peer is not null)
        {
            s.WriteText(2, peer);
        }

        return message;
    }

    /// <summary>The bytes of a length-prefixed data frame before its payload (see <see cref="WriteDataHeader"/>).</summary>
    internal const int DataHeaderBytes = 4 + 8 + 8 * (1 + DataWords + Pointers);

    /// <summary>
    /// Writes the length prefix and message head of a data frame carrying <paramref name="payloadLength"/> bytes:
    /// exactly what <see cref="Build"/> lays out for it (one segment: root pointer, the struct, then the payload
    /// padded to a word), so the payload can be copied once straight behind it. Returns the padding to append.
    /// </summary>
    internal static int WriteDataHeader(Span<byte> header, uint circuit, ulong sequence, ulong value, int payloadLength)
    {
        int payloadWords = (payloadLength + 7) / 8;
        int segmentWords = 1 + DataWords + Pointers + payloadWords;
        header[..DataHeaderBytes].Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(8 + segmentWords * 8));
        var message = header[4..];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(message[4..], (uint)segmentWords);
        var words = message[8..];

        // Root: a struct pointer to the next word, with DataWords data words and Pointers pointers.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(words, ((ulong)Pointers << 48) | ((ulong)DataWords << 32));
        var data = words[8..];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(data, (ushort)EdgeFrameKind.Data);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(data[4..], circuit);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(data[8..], sequence);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(data[16..], value);
        if (payloadLength > 0)
        {
            // Pointer 1 (payload): a byte list starting right after the last pointer (offset 1 word from its end).
            var payloadPointer = data[(8 * DataWords + 8)..];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(payloadPointer, ((ulong)payloadLength << 35) | (2UL << 32) | (1UL << 2) | 1UL);
        }

        return payloadWords * 8 - payloadLength;
    }

    private static readonly MessageBuilderOptions Small = new() { FirstSegmentWords = 64 };

    private static MessageBuilderOptions BuilderOptions(int payload) =>
        payload <= 256 ? Small : new MessageBuilderOptions { FirstSegmentWords = 16 + ((payload + 7) / 8) };
}
