using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>
/// The signalling messages of a punch, sent over the relayed circuit: <c>C</c> (this side's candidates and whether
/// its NAT maps per destination), <c>N</c> (the initiator nominates the pair whose probe carried a transaction id),
/// <c>X</c> (the sender gave up).
/// </summary>
internal static class CandidateMessage
{
    public const byte Candidates = (byte)'C';
    public const byte Nominate = (byte)'N';
    public const byte GiveUp = (byte)'X';

    public static byte[] Encode(IReadOnlyList<NatCandidate> candidates, bool hard)
    {
        using var stream = new MemoryStream();
        stream.WriteByte(Candidates);
        stream.WriteByte(hard ? (byte)1 : (byte)0);
        stream.WriteByte((byte)Math.Min(candidates.Count, 32));
        Span<byte> port = stackalloc byte[2];
        foreach (var candidate in candidates.Take(32))
        {
            var address = candidate.EndPoint.Address.GetAddressBytes();
            stream.WriteByte((byte)candidate.Kind);
            stream.WriteByte((byte)address.Length);
            stream.Write(address);
            BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)candidate.EndPoint.Port);
            stream.Write(port);
        }

        return stream.ToArray();
    }

    public static bool TryDecode(ReadOnlySpan<byte> message, out List<NatCandidate> candidates, out bool hard)
    {
        candidates = [];
        hard = false;
        if (message.Length < 3 || message[0] != Candidates)
        {
            return false;
        }

        hard = message[1] != 0;
        int count = message[2];
        int at = 3;
        for (int i = 0; i < count; i++)
        {
            if (at + 2 > message.Length)
            {
                return false;
            }

            var kind = (NatCandidateKind)message[at];
            int length = message[at + 1];
            if ((length != 4 && length != 16) || at + 2 + length + 2 > message.Length)
            {
                return false;
            }

            var address = new IPAddress(message.Slice(at + 2, length));
            int port = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 2 + length)..]);
            candidates.Add(new NatCandidate(kind, new IPEndPoint(address, port), kind == NatCandidateKind.ServerReflexive ? 100 : 50));
            at += 2 + length + 2;
        }

        return true;
    }

    public static byte[] EncodeNominate(ulong transaction)
    {
        var message = new byte[9];
        message[0] = Nominate;
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(1), transaction);
        return message;
    }

    /// <summary>This host's IPv4 addresses (loopback included: peers on one machine reach each other on it).</summary>
    public static IEnumerable<IPAddress> HostAddresses()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
                {
                    yield return unicast.Address;
                }
            }
        }
    }
}
