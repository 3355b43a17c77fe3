using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>The kinds of probe packet.</summary>
internal enum ProbeKind : byte
{
    /// <summary>"Can you hear me?": answered with an <see cref="Ack"/> to the address it came from.</summary>
    Probe = 1,

    /// <summary>The answer to a probe, echoing its transaction id.</summary>
    Ack = 2,
}

/// <summary>
/// A probe: <c>"ZTP"</c>, its kind, an 8-byte transaction id and a 16-byte HMAC-SHA256 of those under the
/// connection's path key, so only the peer the end-to-end TLS session proved can make one.
/// </summary>
internal static class ProbePacket
{
    public const int Length = 3 + 1 + 8 + 16;

    public static byte[] Create(ProbeKind kind, ulong transaction, ReadOnlySpan<byte> key)
    {
        var packet = new byte[Length];
        "ZTP"u8.CopyTo(packet);
        packet[3] = (byte)kind;
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(4), transaction);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, packet.AsSpan(0, 12), mac);
        mac[..16].CopyTo(packet.AsSpan(12));
        return packet;
    }

    public static bool TryRead(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> key, out ProbeKind kind, out ulong transaction)
    {
        kind = default;
        transaction = 0;
        if (packet.Length != Length || !packet[..3].SequenceEqual("ZTP"u8) || packet[3] is not (1 or 2))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, packet[..12], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..16], packet.Slice(12, 16)))
        {
            return false;
        }

        kind = (ProbeKind)packet[3];
        transaction = BinaryPrimitives.ReadUInt64BigEndian(packet[4..]);
        return true;
    }

    /// <summary>The key a direct stream's connection request must carry: derived from the path key, so it differs from any probe MAC.</summary>
    public static string StreamKey(ReadOnlySpan<byte> key) =>
        Convert.ToHexString(HMACSHA256.HashData(key, "hanzo-zt direct stream"u8))[..32];
}
