using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Zap;

/// <summary>Settings of one RPC connection.</summary>
public sealed class ZapConnectionOptions
{
    /// <summary>The largest message accepted or sent: 16 MiB, as the ZAP framing defines it.</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>How messages are delimited on the stream. Default <see cref="ZapFraming.Zap"/>.</summary>
    public ZapFraming Framing { get; set; } = ZapFraming.Zap;

    /// <summary>The largest message, in bytes, accepted from the peer or sent to it. Default 16 MiB.</summary>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>
    /// How many bytes of outgoing messages may wait for a peer that is not reading before the connection is
    /// aborted, so memory stays bounded. Default 64 MiB.
    /// </summary>
    public long MaxPendingSendBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long queued messages may wait on a peer that takes none of them before the connection is aborted as one
    /// that stopped reading. From a quarter of <see cref="MaxPendingSendBytes"/> queued, the connection reads nothing
    /// more from the peer until half of that is left (the transport's flow control then slows the peer down), so a
    /// peer that reads slowly is answered at its pace instead of being cut off. Default 30 s.
    /// </summary>
    public TimeSpan SendStallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The limits incoming messages are read with (traversal budget, nesting depth, segment count).</summary>
    public ReaderOptions ReaderOptions { get; set; } = ReaderOptions.Default;

    /// <summary>The capability this side offers to the peer's <c>Bootstrap</c>; null offers none.</summary>
    public ZapCapability? Bootstrap { get; set; }

    internal void Validate()
    {
        if (MaxMessageBytes is < 64 or > DefaultMaxMessageBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), MaxMessageBytes, $"must be between 64 and {DefaultMaxMessageBytes} bytes");
        }

        if (MaxPendingSendBytes < MaxMessageBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPendingSendBytes), MaxPendingSendBytes, "must be at least MaxMessageBytes");
        }

        if (SendStallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SendStallTimeout), SendStallTimeout, "must be positive");
        }

        ArgumentNullException.ThrowIfNull(ReaderOptions);
    }
}
