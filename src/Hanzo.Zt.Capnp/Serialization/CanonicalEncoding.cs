namespace Hanzo.Zt.Capnp;

/// <summary>
/// The canonical form of a message: one segment, no segment table, no far pointers, children in pre-order,
/// data and pointer sections truncated of trailing zeros. Two equal values have identical canonical bytes, so
/// the form can be hashed or signed.
/// </summary>
public static class CanonicalEncoding
{
    /// <summary>The canonical bytes of the struct <paramref name="root"/> (root pointer first).</summary>
    public static byte[] Canonicalize(PointerReader root)
    {
        using var builder = new MessageBuilder(new MessageBuilderOptions { SingleSegment = true, FirstSegmentWords = 64 });
        PointerCopier.Copy(root, builder.Root, canonical: true);
        return builder.GetSegment(0).ToArray();
    }

    /// <summary>Whether <paramref name="flat"/> (a single segment, no table) is already canonical.</summary>
    public static bool IsCanonical(ReadOnlyMemory<byte> flat, ReaderOptions? options = null)
    {
        using var reader = new MessageReader(new[] { flat }, options);
        return Canonicalize(reader.Root).AsSpan().SequenceEqual(flat.Span);
    }
}
