namespace Hanzo.Zt.Benchmarks;

/// <summary>The representative message: ten scalar fields, a text and a list of 100 small structs.</summary>
internal sealed class Record
{
    public ulong Id;
    public long Timestamp;
    public uint Count;
    public uint Flags;
    public double Score;
    public float Ratio;
    public int Level;
    public short Small;
    public byte Tiny;
    public bool Active;
    public string Name = string.Empty;
    public List<Item> Items = [];

    public static Record Sample()
    {
        var record = new Record
        {
            Id = 0x1234_5678_9abc,
            Timestamp = 1_764_000_000_000,
            Count = 100,
            Flags = 0b1011,
            Score = 98.625,
            Ratio = 0.75f,
            Level = -3,
            Small = 1234,
            Tiny = 7,
            Active = true,
            Name = "hanzo-zt benchmark record",
        };
        for (int i = 0; i < 100; i++)
        {
            record.Items.Add(new Item { Key = (uint)i * 31, Value = i * 1.5 });
        }

        return record;
    }
}

/// <summary>A list element: a key and a value; parsed by Protocol Buffers as a nested message.</summary>
internal sealed class Item : Google.Protobuf.IMessage
{
    public uint Key;
    public double Value;

    public Google.Protobuf.Reflection.MessageDescriptor Descriptor => throw new NotSupportedException();

    public void MergeFrom(Google.Protobuf.CodedInputStream input)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (Google.Protobuf.WireFormat.GetTagFieldNumber(tag))
            {
                case 1: Key = input.ReadUInt32(); break;
                case 2: Value = input.ReadDouble(); break;
                default: input.SkipLastField(); break;
            }
        }
    }

    public void WriteTo(Google.Protobuf.CodedOutputStream output)
    {
        output.WriteTag(1, Google.Protobuf.WireFormat.WireType.Varint);
        output.WriteUInt32(Key);
        output.WriteTag(2, Google.Protobuf.WireFormat.WireType.Fixed64);
        output.WriteDouble(Value);
    }

    public int CalculateSize() => 1 + Google.Protobuf.CodedOutputStream.ComputeUInt32Size(Key) + 1 + 8;
}
