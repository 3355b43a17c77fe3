namespace Hanzo.Zt.Capnp;

/// <summary>
/// Values written in a schema (struct and list field defaults, struct and list constants), built once into a
/// message of their own and read from it for the life of the process. Generated code calls this.
/// </summary>
public static class SchemaValues
{
    // Read again and again for the life of the process: the traversal budget that guards against hostile
    // input must not run out on a value that came from the schema.
    private static readonly ReaderOptions Unlimited = new() { TraversalLimitInWords = long.MaxValue };

    /// <summary>Builds a value by running <paramref name="build"/> on the root pointer of a new message, and returns that root to read.</summary>
    public static PointerReader Build(Action<PointerBuilder> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        using var builder = new MessageBuilder();
        build(builder.Root);
        var segments = new ReadOnlyMemory<byte>[builder.SegmentCount];
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = builder.GetSegment(i).ToArray();
        }

        return new MessageReader(segments, Unlimited).Root;
    }
}
