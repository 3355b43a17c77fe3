using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Hanzo.Zt.Fabric.Paths;

/// <summary>The kinds of frame a connection's paths carry beneath its end-to-end TLS.</summary>
internal enum PathFrameKind : byte
{
    /// <summary>TLS bytes: an 8-byte stream offset, then the bytes.</summary>
    Data = 1,

    /// <summary>The receiver has every byte before the 8-byte offset.</summary>
    Ack = 2,

    /// <summary>The sender's stream ends at the 8-byte offset.</summary>
    Fin = 3,

    /// <summary>A NAT traversal message (candidates, nominations).</summary>
    Signal = 4,

    /// <summary>An 8-byte nonce to echo back on the same path.</summary>
    Ping = 5,

    /// <summary>The echo of a ping.</summary>
    Pong = 6,

    /// <summary>The sender found the direct path dead and went back to the relay.</summary>
    PathDown = 7,
}

/// <summary>
/// Path framing: a kind byte, a 4-byte big-endian length, the payload. The same frames run on the relayed circuit
/// and on a direct path, so bytes can move between them by their stream offsets. On a direct path each frame ends
/// with a CRC-32 of the frame: the relay's links are TLS, but a punched UDP path has only the reliable-UDP layer's
/// word that it kept the bytes whole, and a frame that fails its checksum ends that path (its bytes come again on
/// the relay) instead of reaching the end-to-end TLS session, which could not recover from it.
/// </summary>
internal static class PathFrame
{
    public const int HeaderLength = 5;

    /// <summary>The largest payload of one frame: a full TLS record and its offset fit.</summary>
    public const int MaxPayload = 64 * 1024;

    /// <summary>Bytes of TLS data put in one data frame.</summary>
    public const int MaxData = 16 * 1024 + 512;

    public static byte[] Build(PathFrameKind kind, ulong? number, ReadOnlySpan<byte> body)
    {
        int payload = (number.HasValue ? 8 : 0) + body.Length;
        var frame = new byte[HeaderLength + payload];
        frame[0] = (byte)kind;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload);
        int at = HeaderLength;
        if (number is { } n)
        {
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(at), n);
            at += 8;
        }

        body.CopyTo(frame.AsSpan(at));
        return frame;
    }

    /// <summary>The header of a data frame: kind, length, and the stream offset of its first byte.</summary>
    public const int DataHeaderLength = HeaderLength + 8;

    /// <summary>Writes a data frame's header for <paramref name="length"/> bytes at <paramref name="offset"/>; the bytes follow it.</summary>
    public static void WriteDataHeader(Span<byte> header, ulong offset, int length)
    {
        header[0] = (byte)PathFrameKind.Data;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], 8 + length);
        BinaryPrimitives.WriteUInt64BigEndian(header[HeaderLength..], offset);
    }

    /// <summary>Bytes of the checksum that ends each frame on a direct path.</summary>
    public const int ChecksumLength = 4;

    /// <summary>Writes a frame of <paramref name="head"/> then <paramref name="body"/> and its checksum, for a direct path.</summary>
    public static void WriteChecksummed(IBufferWriter<byte> output, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        int length = head.Length + body.Length;
        var frame = output.GetSpan(length + ChecksumLength);
        head.CopyTo(frame);
        body.CopyTo(frame[head.Length..]);
        BinaryPrimitives.WriteUInt32BigEndian(frame[length..], Crc32.HashToUInt32(frame[..length]));
        output.Advance(length + ChecksumLength);
    }

    [ThreadStatic]
    private static Crc32? t_checksum;

    private static uint ChecksumOf(ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            return Crc32.HashToUInt32(frame.FirstSpan);
        }

        var checksum = t_checksum ??= new Crc32();
        checksum.Reset();
        foreach (var segment in frame)
        {
            checksum.Append(segment.Span);
        }

        return checksum.GetCurrentHashAsUInt32();
    }

    /// <summary>
    /// Takes one whole frame off <paramref name="buffer"/>; false when more bytes are needed. A frame from a direct path
    /// (<paramref name="checksummed"/>) must carry its checksum.
    /// </summary>
    /// <exception cref="ZtProtocolException">The frame is malformed, or fails its checksum.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out PathFrameKind kind, out ReadOnlySequence<byte> payload, bool checksummed = false)
    {
        kind = default;
        payload = default;
        if (buffer.Length < HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        int length = BinaryPrimitives.ReadInt32BigEndian(header[1..]);
        if (length < 0 || length > MaxPayload || header[0] is 0 or > (byte)PathFrameKind.PathDown)
        {
            throw new ZtProtocolException($"a malformed path frame (kind {header[0]}, length {length})");
        }

        int trailer = checksummed ? ChecksumLength : 0;
        if (buffer.Length < HeaderLength + length + trailer)
        {
            return false;
        }

        if (checksummed)
        {
            Span<byte> carried = stackalloc byte[ChecksumLength];
            buffer.Slice(HeaderLength + length, ChecksumLength).CopyTo(carried);
            if (BinaryPrimitives.ReadUInt32BigEndian(carried) != ChecksumOf(buffer.Slice(0, HeaderLength + length)))
            {
                throw new ZtProtocolException($"a path frame (kind {header[0]}, length {length}) failed its checksum");
            }
        }

        kind = (PathFrameKind)header[0];
        payload = buffer.Slice(HeaderLength, length);
        buffer = buffer.Slice(HeaderLength + length + trailer);
        return true;
    }

    /// <summary>The 8-byte number at the start of a payload.</summary>
    /// <exception cref="ZtProtocolException">The payload is shorter.</exception>
    public static ulong Number(ReadOnlySequence<byte> payload)
    {
        if (payload.Length < 8)
        {
            throw new ZtProtocolException("a path frame is too short for its offset");
        }

        Span<byte> bytes = stackalloc byte[8];
        payload.Slice(0, 8).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }
}
