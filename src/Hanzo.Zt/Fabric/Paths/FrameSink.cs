namespace Hanzo.Zt.Fabric.Paths;

/// <summary>
/// One path's sending side: whole frames, one at a time, so control frames never split a data frame. A frame is a
/// head and a body written as one run, so a data frame needs no buffer of its own to join its header to its bytes.
/// </summary>
internal sealed class FrameSink(Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, CancellationToken, ValueTask> write)
{
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
}
