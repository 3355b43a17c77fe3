namespace Hanzo.Zt.Zap;

/// <summary>
/// Typed results of a completed call: a generated reader over the response, which this object keeps alive.
/// Dispose it when done reading.
/// </summary>
public sealed class ZapResults<TReader> : IDisposable
    where TReader : struct
{
    private readonly ZapResponse _response;

    /// <summary>Wraps <paramref name="response"/> and the reader of its results.</summary>
    public ZapResults(ZapResponse response, TReader value)
    {
        _response = response;
        Value = value;
    }

    /// <summary>The results, read in place.</summary>
    public TReader Value { get; }

    /// <summary>The untyped response.</summary>
    public ZapResponse Response => _response;

    /// <summary>Returns the results' memory and capabilities.</summary>
    public void Dispose() => _response.Dispose();
}
