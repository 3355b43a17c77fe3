using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hanzo.Zt.NatTraversal;

/// <summary>
/// The wire format of UDP address reflection, served by every router on the IP and port number of its edge
/// listener. A request is <c>"ZTR?"</c>, a 12-byte transaction id and a session token the router accepts; the answer
/// is <c>"ZTR!"</c>, the same transaction id, the observed port (2 bytes, big-endian) and address (4 or 16 bytes).
/// An answer is never larger than its request (a token is far longer than an address), so the reflector cannot be
/// used to amplify traffic.
/// </summary>
public static class NatReflection
{
    /// <summary>Bytes of the transaction id.</summary>
    public const int TransactionIdLength = 12;

    private static ReadOnlySpan<byte> RequestMagic => "ZTR?"u8;

    private static ReadOnlySpan<byte> ResponseMagic => "ZTR!"u8;

    /// <summary>The largest request a reflector reads.</summary>
    public const int MaxRequestLength = 4096;

    /// <summary>Builds a request carrying <paramref name="token"/>.</summary>
    public static byte[] CreateRequest(ReadOnlySpan<byte> transactionId, string token)
    {
        var tokenBytes = Encoding.ASCII.GetBytes(token);
        var request = new byte[4 + TransactionIdLength + tokenBytes.Length];
        RequestMagic.CopyTo(request);
        transactionId[..TransactionIdLength].CopyTo(request.AsSpan(4));
        tokenBytes.CopyTo(request.AsSpan(4 + TransactionIdLength));
        return request;
    }

    /// <summary>Reads a request; false when <paramref name="datagram"/> is not one.</summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> transactionId, out string token)
    {
        transactionId = default;
        token = "";
        if (datagram.Length <= 4 + TransactionIdLength || datagram.Length > MaxRequestLength || !datagram[..4].SequenceEqual(RequestMagic))
        {
            return false;
        }

        transactionId = datagram.Slice(4, TransactionIdLength);
        token = Encoding.ASCII.GetString(datagram[(4 + TransactionIdLength)..]);
        return true;
    }

    /// <summary>Writes the answer to a request into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteResponse(ReadOnlySpan<byte> transactionId, IPEndPoint observed, Span<byte> destination)
    {
        var address = observed.Address.IsIPv4MappedToIPv6 ? observed.Address.MapToIPv4() : observed.Address;
        int addressLength = address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        int length = 4 + TransactionIdLength + 2 + addressLength;
        ResponseMagic.CopyTo(destination);
        transactionId.CopyTo(destination[4..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(4 + TransactionIdLength)..], (ushort)observed.Port);
        address.TryWriteBytes(destination[(4 + TransactionIdLength + 2)..], out _);
        return length;
    }

    /// <summary>Reads an answer to the request with <paramref name="transactionId"/>; false when it is not one.</summary>
    public static bool TryReadResponse(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> transactionId, out IPEndPoint observed)
    {
        observed = null!;
        int addressLength = datagram.Length - 4 - TransactionIdLength - 2;
        if ((addressLength != 4 && addressLength != 16) || !datagram[..4].SequenceEqual(ResponseMagic)
            || !datagram.Slice(4, TransactionIdLength).SequenceEqual(transactionId))
        {
            return false;
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(datagram[(4 + TransactionIdLength)..]);
        observed = new IPEndPoint(new IPAddress(datagram[(4 + TransactionIdLength + 2)..]), port);
        return true;
    }
}
