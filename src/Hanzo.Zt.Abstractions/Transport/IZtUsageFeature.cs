namespace Hanzo.Zt.Transport;

/// <summary>
/// A connection feature through which a protocol running on the connection reports what only it can see, so the
/// transport's usage record for the connection counts it. ZAP adds one call per call it sends, and one call served
/// per call it receives.
/// </summary>
public interface IZtUsageFeature
{
    /// <summary>Calls counted so far.</summary>
    long Calls { get; }

    /// <summary>Counts <paramref name="count"/> more calls made over the connection.</summary>
    void AddCalls(long count);

    /// <summary>Calls the peer made that this side received and served, counted so far.</summary>
    long CallsServed { get; }

    /// <summary>
    /// Counts <paramref name="count"/> more calls received from the peer. On a service host's <c>zt://</c>
    /// connection these are reported to the router, which bills them to the dialer's session.
    /// </summary>
    void AddCallsServed(long count);
}
