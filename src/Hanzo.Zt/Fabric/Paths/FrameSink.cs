namespace Hanzo.Zt.Fabric.Paths;

/// <summary>One path's sending side: whole frames, one at a time, so control frames never split a data frame.</summary>
internal sealed class FrameSink(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write(frame, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }
}
