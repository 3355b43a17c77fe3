namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// Reads a stream in runs as large as what the stream has ready: after a read returns, further reads that complete at
/// once (a TLS stream handing out one record per read while more records are buffered) join the same run, so the
/// run's consumer writes it with one call instead of one per record. A read that would wait is left running into the
/// free end of the buffer, and its bytes start the next run. Dispose it when done: a consumer that stops early (its
/// output closed) leaves that read running, and disposing observes how it ends.
/// </summary>
internal sealed class GatheringReader : IDisposable
{
    /// <summary>Free bytes below which a run stops gathering: a read into less would come back small.</summary>
    private const int MinimumRead = 32 * 1024;

    private readonly Stream _source;
    private readonly byte[] _buffer;
    private Task<int>? _pending;
    private int _pendingAt;
    private bool _ended;

    /// <param name="source">The stream to read.</param>
    /// <param name="bufferBytes">The largest run; at least twice <see cref="MinimumRead"/>.</param>
    public GatheringReader(Stream source, int bufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 2 * MinimumRead);
        _source = source;
        _buffer = new byte[bufferBytes];
    }

    /// <summary>
    /// The next run of bytes, empty at the end of the stream. The run stays valid until the next call, which must not
    /// start before this one has completed.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        int start = 0;
        int n;
        if (_pending is { } pending)
        {
            _pending = null;
            start = _pendingAt;
            n = await pending.ConfigureAwait(false);
        }
        else
        {
            n = await _source.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }

        int end = start + n;
        while (n > 0 && _buffer.Length - end >= MinimumRead)
        {
            var next = _source.ReadAsync(_buffer.AsMemory(end), cancellationToken);
            if (!next.IsCompleted)
            {
                // Runs while the caller consumes this run, into the part of the buffer the run does not cover.
                (_pending, _pendingAt) = (next.AsTask(), end);
                break;
            }

            n = next.Result;
            end += n;
        }

        if (n == 0)
        {
            _ended = true;
        }

        return _buffer.AsMemory(start, end - start);
    }

    /// <summary>Lets go of a read left running: its failure (the connection closing under it) is observed, not raised later.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _pending, null) is { } pending)
        {
            _ = pending.ContinueWith(static read => _ = read.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
