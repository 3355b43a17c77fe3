using System.Text;
using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Benchmarks;

/// <summary>
/// The record in Cap'n Proto, accessed as generated code would access it:
/// <c>struct Record { id @0 :UInt64; timestamp @1 :Int64; count @2 :UInt32; flags @3 :UInt32; score @4 :Float64;
/// ratio @5 :Float32; level @6 :Int32; small @7 :Int16; tiny @8 :UInt8; active @9 :Bool; name @10 :Text;
/// items @11 :List(Item); }</c> and <c>struct Item { key @0 :UInt32; value @1 :Float64; }</c>.
/// </summary>
internal static class CapnpRecord
{
    public const int DataWords = 6;
    public const int Pointers = 2;

    public static void Write(MessageBuilder message, Record record)
    {
        var root = message.InitRoot(DataWords, Pointers);
        root.WriteUInt64(0, record.Id);
        root.WriteInt64(1, record.Timestamp);
        root.WriteUInt32(4, record.Count);
        root.WriteUInt32(5, record.Flags);
        root.WriteFloat64(3, record.Score);
        root.WriteFloat32(8, record.Ratio);
        root.WriteInt32(9, record.Level);
        root.WriteInt16(20, record.Small);
        root.WriteUInt8(42, record.Tiny);
        root.WriteBool(344, record.Active);
        root.WriteText(0, record.Name);
        var items = root.InitStructList(1, record.Items.Count, 2, 0);
        for (int i = 0; i < record.Items.Count; i++)
        {
            var item = items.GetStruct(i);
            item.WriteUInt32(0, record.Items[i].Key);
            item.WriteFloat64(1, record.Items[i].Value);
        }
    }

    /// <summary>Reads every field (text as its UTF-8 bytes), folding them into a checksum so nothing is skipped.</summary>
    public static double Read(StructReader root)
    {
        double sum = (double)root.ReadUInt64(0) + root.ReadInt64(1) + root.ReadUInt32(4) + root.ReadUInt32(5) + root.ReadFloat64(3)
            + root.ReadFloat32(8) + root.ReadInt32(9) + root.ReadInt16(20) + root.ReadUInt8(42) + (root.ReadBool(344) ? 1 : 0);
        sum += root.ReadTextUtf8(0).Length;
        var items = root.ReadList(1, ListElementSize.InlineComposite);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items.GetStruct(i);
            sum += item.ReadUInt32(0) + item.ReadFloat64(1);
        }

        return sum;
    }

    public static string ReadName(StructReader root) => Encoding.UTF8.GetString(root.ReadTextUtf8(0));
}
