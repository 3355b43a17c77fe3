namespace Hanzo.Zt.Capnp;

/// <summary>
/// Limits that protect a reader from hostile messages, with the reference implementation's defaults.
/// </summary>
public sealed record ReaderOptions
{
    /// <summary>The defaults: 8 Mi words of traversal, nesting 64, 512 segments.</summary>
    public static ReaderOptions Default { get; } = new();

    /// <summary>
    /// How many words a reader may visit in total. Every struct or list dereference counts its size, each
    /// time it is dereferenced, so a message that points at the same data many times cannot amplify work.
    /// Also bounds the message size accepted from a stream.
    /// </summary>
    public long TraversalLimitInWords { get; init; } = 8L * 1024 * 1024;

    /// <summary>How deeply pointers may nest; also stops pointer cycles.</summary>
    public int NestingLimit { get; init; } = 64;

    /// <summary>The most segments a message read from a stream may declare.</summary>
    public int MaxSegments { get; init; } = 512;
}
