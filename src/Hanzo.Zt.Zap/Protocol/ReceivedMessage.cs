using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Pooling;

namespace Hanzo.Zt.Zap.Protocol;

/// <summary>
/// A message the read loop took off the transport: a reusable <see cref="MessageReader"/> that goes back to its
/// connection's pool when the last reader of the message (a response, a call context) disposes it.
/// </summary>
internal sealed class ReceivedMessage : IDisposable
{
    private readonly SmallPool<ReceivedMessage> _pool;
    private int _rented;

    private ReceivedMessage(SmallPool<ReceivedMessage> pool, ReaderOptions options)
    {
        _pool = pool;
        Reader = new MessageReader(options);
    }

    public MessageReader Reader { get; }

    /// <summary>A message from <paramref name="pool"/> (or a new one) to load the next received message into.</summary>
    public static ReceivedMessage Rent(SmallPool<ReceivedMessage> pool, ReaderOptions options)
    {
        var message = pool.TryTake() ?? new ReceivedMessage(pool, options);
        message._rented = 1;
        return message;
    }

    /// <summary>Returns the message's memory, and the reader to its pool (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, 0) == 1)
        {
            Reader.Dispose();
            _pool.Return(this);
        }
    }
}
