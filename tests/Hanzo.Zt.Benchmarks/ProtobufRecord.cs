using Google.Protobuf;

namespace Hanzo.Zt.Benchmarks;

/// <summary>
/// The same record in Protocol Buffers, serialized and parsed exactly as protoc's C# code does it (field
/// tags, varints, a computed size, then objects for the message, its string and each list element):
/// <c>message Record { uint64 id = 1; int64 timestamp = 2; uint32 count = 3; uint32 flags = 4; double score = 5;
/// float ratio = 6; int32 level = 7; int32 small = 8; uint32 tiny = 9; bool active = 10; string name = 11;
/// repeated Item items = 12; }</c>, <c>message Item { uint32 key = 1; double value = 2; }</c>.
/// </summary>
internal static class ProtobufRecord
{
    public static int CalculateSize(Record r)
    {
        int size = 1 + CodedOutputStream.ComputeUInt64Size(r.Id) + 1 + CodedOutputStream.ComputeInt64Size(r.Timestamp)
            + 1 + CodedOutputStream.ComputeUInt32Size(r.Count) + 1 + CodedOutputStream.ComputeUInt32Size(r.Flags)
            + 1 + 8 + 1 + 4 + 1 + CodedOutputStream.ComputeInt32Size(r.Level) + 1 + CodedOutputStream.ComputeInt32Size(r.Small)
            + 1 + CodedOutputStream.ComputeUInt32Size(r.Tiny) + 1 + 1 + 1 + CodedOutputStream.ComputeStringSize(r.Name);
        foreach (var item in r.Items)
        {
            int itemSize = ItemSize(item);
            size += 1 + CodedOutputStream.ComputeLengthSize(itemSize) + itemSize;
        }

        return size;
    }

    public static void Write(CodedOutputStream output, Record r)
    {
        output.WriteTag(1, WireFormat.WireType.Varint); output.WriteUInt64(r.Id);
        output.WriteTag(2, WireFormat.WireType.Varint); output.WriteInt64(r.Timestamp);
        output.WriteTag(3, WireFormat.WireType.Varint); output.WriteUInt32(r.Count);
        output.WriteTag(4, WireFormat.WireType.Varint); output.WriteUInt32(r.Flags);
        output.WriteTag(5, WireFormat.WireType.Fixed64); output.WriteDouble(r.Score);
        output.WriteTag(6, WireFormat.WireType.Fixed32); output.WriteFloat(r.Ratio);
        output.WriteTag(7, WireFormat.WireType.Varint); output.WriteInt32(r.Level);
        output.WriteTag(8, WireFormat.WireType.Varint); output.WriteInt32(r.Small);
        output.WriteTag(9, WireFormat.WireType.Varint); output.WriteUInt32(r.Tiny);
        output.WriteTag(10, WireFormat.WireType.Varint); output.WriteBool(r.Active);
        output.WriteTag(11, WireFormat.WireType.LengthDelimited); output.WriteString(r.Name);
        foreach (var item in r.Items)
        {
            output.WriteTag(12, WireFormat.WireType.LengthDelimited);
            output.WriteMessage(item);
        }
    }

    public static Record Parse(CodedInputStream input)
    {
        var r = new Record();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: r.Id = input.ReadUInt64(); break;
                case 2: r.Timestamp = input.ReadInt64(); break;
                case 3: r.Count = input.ReadUInt32(); break;
                case 4: r.Flags = input.ReadUInt32(); break;
                case 5: r.Score = input.ReadDouble(); break;
                case 6: r.Ratio = input.ReadFloat(); break;
                case 7: r.Level = input.ReadInt32(); break;
                case 8: r.Small = (short)input.ReadInt32(); break;
                case 9: r.Tiny = (byte)input.ReadUInt32(); break;
                case 10: r.Active = input.ReadBool(); break;
                case 11: r.Name = input.ReadString(); break;
                case 12:
                    var item = new Item();
                    input.ReadMessage(item);
                    r.Items.Add(item);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return r;
    }

    /// <summary>The same checksum as the Cap'n Proto read, over the parsed objects.</summary>
    public static double Sum(Record r)
    {
        double sum = (double)r.Id + r.Timestamp + r.Count + r.Flags + r.Score + r.Ratio + r.Level + r.Small + r.Tiny + (r.Active ? 1 : 0) + r.Name.Length;
        foreach (var item in r.Items)
        {
            sum += item.Key + item.Value;
        }

        return sum;
    }

    private static int ItemSize(Item item) => item.CalculateSize();
}
