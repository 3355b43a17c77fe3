using System.Buffers.Binary;
using Hanzo.Zt.Capnp.Dynamic;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>Malformed and malicious messages end in a <see cref="CapnpFormatException"/> that says why.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void Truncated_message_is_rejected()
    {
        byte[] framed = Framed([Struct(0, 1, 0), 42]);
        Should.Throw<CapnpFormatException>(() => MessageSerializer.Read(framed.AsMemory(0, framed.Length - 8)))
            .Message.ShouldContain("Truncated");
        Should.Throw<CapnpFormatException>(() => MessageSerializer.Read(framed.AsMemory(0, 3)));
    }

    [Fact]
    public void Pointer_outside_its_segment_is_rejected()
    {
        using var message = Flat(Struct(offset: 100, dataWords: 1, pointers: 0));
        Should.Throw<CapnpFormatException>(() => message.GetRoot()).Message.ShouldContain("outside the segment");
    }

    [Fact]
    public void Struct_running_past_the_segment_end_is_rejected()
    {
        using var message = Flat(Struct(0, 5, 0), 1);
        Should.Throw<CapnpFormatException>(() => message.GetRoot()).Message.ShouldContain("runs past");
    }

    [Fact]
    public void Far_pointer_to_a_missing_segment_is_rejected()
    {
        using var message = Flat(Far(segment: 7, word: 0));
        Should.Throw<CapnpFormatException>(() => message.GetRoot()).Message.ShouldContain("segment 7");
    }

    [Fact]
    public void Far_pointer_loop_is_rejected()
    {
        // The landing pad is the far pointer itself.
        using var message = Flat(Far(segment: 0, word: 0));
        Should.Throw<CapnpFormatException>(() => message.GetRoot()).Message.ShouldContain("another far pointer");
    }

    [Fact]
    public void Struct_pointing_at_itself_hits_the_nesting_limit()
    {
        // Root struct with one pointer that points back at the struct: an infinite tree.
        using var message = Flat(Struct(0, 0, 1), Struct(-2, 0, 1));
        var reader = new StructReaderWalker();
        Should.Throw<CapnpFormatException>(() => reader.Walk(message.GetRoot())).Message.ShouldContain("Nesting limit");
    }

    [Fact]
    public void Deep_nesting_beyond_the_limit_is_rejected_and_within_it_is_read()
    {
        var words = new List<ulong> { Struct(0, 0, 1) };
        for (int i = 0; i < 100; i++)
        {
            words.Add(Struct(0, 0, 1));
        }

        words.Add(0);
        using var deep = Flat([.. words]);
        Should.Throw<CapnpFormatException>(() => new StructReaderWalker().Walk(deep.GetRoot()));

        using var allowed = new MessageReader([Bytes([.. words])], new ReaderOptions { NestingLimit = 200 });
        new StructReaderWalker().Walk(allowed.GetRoot()).ShouldBe(100);
    }

    [Fact]
    public void Reading_the_same_list_many_times_exhausts_the_traversal_limit()
    {
        // A list of 3000 pointers, all to one 3000-word list: a 6000-word message that reads as nine million words.
        const int n = 3000;
        var words = new List<ulong> { List(0, ListElementSize.Pointer, n) };
        for (int i = 0; i < n; i++)
        {
            words.Add(List(n - i - 1, ListElementSize.EightBytes, n));
        }

        words.AddRange(new ulong[n]);
        using var message = Flat([.. words]);
        var outer = message.Root.GetList(ListElementSize.Pointer);
        var error = Should.Throw<CapnpFormatException>(() =>
        {
            for (int i = 0; i < outer.Count; i++)
            {
                _ = outer.GetPointer(i).GetList(ListElementSize.EightBytes);
            }
        });
        error.Message.ShouldContain("Traversal limit");
    }

    [Fact]
    public void Huge_list_of_void_counts_against_the_traversal_limit()
    {
        using var message = Flat(List(0, ListElementSize.Void, (1 << 29) - 1));
        Should.Throw<CapnpFormatException>(() => message.Root.GetList(ListElementSize.Void)).Message.ShouldContain("Traversal limit");
    }

    [Fact]
    public void Composite_list_whose_elements_overrun_its_words_is_rejected()
    {
        using var message = Flat(List(0, ListElementSize.InlineComposite, 2), Struct(10, 1, 0), 0, 0);
        Should.Throw<CapnpFormatException>(() => message.Root.GetList(ListElementSize.InlineComposite)).Message.ShouldContain("overrun");
    }

    [Theory]
    [InlineData(0xFFFF_FFFFu, "segments")]
    [InlineData(600u, "segments")]
    public void Absurd_segment_counts_are_rejected(uint countMinusOne, string expected)
    {
        byte[] table = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(table, countMinusOne);
        Should.Throw<CapnpFormatException>(() => MessageSerializer.Read(table)).Message.ShouldContain(expected);
    }

    [Fact]
    public void Absurd_segment_sizes_are_rejected_before_allocating()
    {
        byte[] table = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 0xFFFF_FFFF);
        Should.Throw<CapnpFormatException>(() => MessageSerializer.Read(table)).Message.ShouldContain("larger than the limit");
        var stream = new MemoryStream(table);
        Should.Throw<CapnpFormatException>(async () => await MessageSerializer.ReadAsync(stream));
    }

    [Fact]
    public void Text_that_is_not_utf8_is_rejected_when_decoded()
    {
        using var message = Flat(Struct(0, 0, 1), List(0, ListElementSize.Byte, 3), 0x00_FE_FFUL);
        Should.Throw<CapnpFormatException>(() => message.GetRoot().ReadText(0)).Message.ShouldContain("UTF-8");
    }

    [Fact]
    public void Text_without_its_terminator_is_rejected()
    {
        using var message = Flat(Struct(0, 0, 1), List(0, ListElementSize.Byte, 2), 0x41_41UL);
        Should.Throw<CapnpFormatException>(() => message.GetRoot().ReadText(0)).Message.ShouldContain("NUL");
    }

    [Fact]
    public void Wrong_pointer_kinds_are_schema_mismatches()
    {
        using var message = Flat(Struct(0, 0, 1), List(0, ListElementSize.Bit, 3), 5);
        Should.Throw<CapnpFormatException>(() => message.GetRoot().ReadStruct(0)).Message.ShouldContain("Expected a struct");
        Should.Throw<CapnpFormatException>(() => message.GetRoot().ReadList(0, ListElementSize.FourBytes)).Message.ShouldContain("Schema mismatch");
        Should.Throw<CapnpFormatException>(() => message.GetRoot().GetPointer(0).GetCapabilityIndex());
    }

    [Fact]
    public void Truncated_packed_input_is_rejected()
    {
        byte[] packed = [0x11, 0x01];
        Should.Throw<CapnpFormatException>(() => PackedEncoding.ReadPacked(packed, out _)).Message.ShouldContain("Truncated packed");
    }

    [Fact]
    public void Segments_that_are_not_whole_words_are_rejected() =>
        Should.Throw<CapnpFormatException>(() => new MessageReader([new byte[12]]));

    internal static ulong Struct(int offset, int dataWords, int pointers) => PointerBuilder.StructPointer(offset, dataWords, pointers);

    internal static ulong List(int offset, ListElementSize size, int count) => 1UL | (uint)(offset << 2) | ((ulong)size << 32) | ((ulong)count << 35);

    internal static ulong Far(int segment, int word, bool doubleFar = false) => 2UL | (doubleFar ? 4UL : 0) | ((ulong)word << 3) | ((ulong)segment << 32);

    internal static byte[] Bytes(params ulong[] words)
    {
        byte[] bytes = new byte[words.Length * 8];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), words[i]);
        }

        return bytes;
    }

    private static MessageReader Flat(params ulong[] words) => new([Bytes(words)]);

    private static byte[] Framed(ulong[] words) => [.. BitConverter.GetBytes(0u), .. BitConverter.GetBytes((uint)words.Length), .. Bytes(words)];

    /// <summary>Follows every struct pointer depth-first; returns how many structs it visited.</summary>
    private sealed class StructReaderWalker
    {
        public int Walk(StructReader node)
        {
            int count = 0;
            for (int i = 0; i < node.PointerCount; i++)
            {
                var pointer = node.GetPointer(i);
                if (!pointer.IsNull)
                {
                    count += 1 + Walk(pointer.GetStruct());
                }
            }

            return count;
        }
    }
}
