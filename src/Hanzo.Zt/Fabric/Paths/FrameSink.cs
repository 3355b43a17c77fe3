namespace Hanzo.Zt.Fabric.Paths;

/// <summary>
/// One path's sending side: whole frames, one at a time, so control frames never split a data frame. A frame is a
/// head and a body written as one run, so a data frame needs no buffer of its own to join its header to its bytes.
/// A path that can take a frame without waiting (<paramref name="tryWrite"/>) lets <see cref="TrySend"/> send it with no
/// asynchronous step at all, and one that can block until it takes it (<paramref name="blockingWrite"/>) serves callers
/// on threads of their own through <see cref="Send"/>.
/// </summary>
internal sealed class FrameSink(
    Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
    FrameSink.TryWriteFrame? tryWrite = null,
    FrameSink.WriteFrame? blockingWrite = null)
{
    /// <summary>Writes a frame at once, or returns false with nothing written when it would have to wait.</summary>
    public delegate bool TryWriteFrame(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body);

    /// <summary>Writes a frame, blocking the calling thread while the path cannot take it.</summary>
    public delegate void WriteFrame(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body);

    private readonly SemaphoreSlim _lock = new(1, 1);

    public ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken) =>
        SendAsync(frame, ReadOnlyMemory<byte>.Empty, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write(head, body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Sends a frame at once when no other frame is being sent and the path takes it without waiting; false, with
    /// nothing sent, otherwise (<see cref="SendAsync(ReadOnlyMemory{byte}, ReadOnlyMemory{byte}, CancellationToken)"/> waits).
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        if (tryWrite is null || !_lock.Wait(0))
        {
            return false;
        }

        try
        {
            return tryWrite(head, body);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends a frame, blocking the calling thread while another frame is sent or the path cannot take it.</summary>
    /// <exception cref="InvalidOperationException">The path has no blocking write.</exception>
    public void Send(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        var writeNow = blockingWrite ?? throw new InvalidOperationException("this path cannot be written by a blocking caller");
        _lock.Wait();
        try
        {
            writeNow(head, body);
        }
        finally
        {
            _lock.Release();
        }
    }
}
