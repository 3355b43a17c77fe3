using Hanzo.Zt.Capnp.Dynamic;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>Thousands of corrupted copies of valid messages: reading them only ever fails with <see cref="CapnpFormatException"/>.</summary>
public sealed class MutationTests
{
    private static readonly ReaderOptions Limits = new() { TraversalLimitInWords = 64 * 1024 };

    [Theory]
    [InlineData("full", 1)]
    [InlineData("numbers", 2)]
    [InlineData("wide", 3)]
    public void Mutated_messages_fail_only_with_format_errors(string name, int seed)
    {
        var schema = SchemaSet.Load(ReferenceTool.SchemaFile);
        var type = schema.GetStruct("Everything");
        byte[] original = ReferenceTool.Encode(ReferenceTool.Message(name), "--segment-size=8");
        var random = new Random(seed);
        int rejected = 0;
        for (int round = 0; round < 2000; round++)
        {
            byte[] mutated = Mutate(original, random);
            try
            {
                using var message = MessageSerializer.Read(mutated, Limits);
                var value = new DynamicReader(schema).ReadStruct(message.GetRoot(), type);
                CanonicalEncoding.Canonicalize(message.Root);
                using var copy = new MessageBuilder();
                copy.Root.SetFrom(message.Root);
                _ = JsonFormat.Format(value);
            }
            catch (CapnpFormatException)
            {
                rejected++;
            }
        }

        rejected.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Mutated_packed_input_fails_only_with_format_errors()
    {
        byte[] packed = ReferenceTool.Encode(ReferenceTool.Message("full"), "--packed");
        var random = new Random(7);
        for (int round = 0; round < 2000; round++)
        {
            try
            {
                using var message = PackedEncoding.ReadPacked(Mutate(packed, random), out _, Limits);
                CanonicalEncoding.Canonicalize(message.Root);
            }
            catch (CapnpFormatException)
            {
            }
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] copy = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (int i = random.Next(1, 8); i > 0; i--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            case 1:
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                }

                return copy;
            case 2:
                return copy[..random.Next(copy.Length)];
            default:
                // Overwrite a whole word with a random one: pointers get arbitrary kinds, offsets and sizes.
                int word = random.Next(copy.Length / 8);
                random.NextBytes(copy.AsSpan(word * 8, 8));
                return copy;
        }
    }
}
