namespace Hanzo.Zt.Transport;

/// <summary>
/// A connection feature through which a protocol running on the connection reports what only it can see, so the
/// transport's usage record for the connection counts it. ZAP adds one call per call it sends.
/// </summary>
public interface IZtUsageFeature
{
    /// <summary>Calls counted so far.</summary>
    long Calls { get; }

    /// <summary>Counts <paramref name="count"/> more calls made over the connection.</summary>
    void AddCalls(long count);
}
