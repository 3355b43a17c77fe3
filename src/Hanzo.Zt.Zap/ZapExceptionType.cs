namespace Hanzo.Zt.Zap;

/// <summary>
/// The kind of a failed call, as Cap'n Proto RPC's <c>Exception.Type</c> carries it on the wire. The numeric
/// values are the wire values.
/// </summary>
public enum ZapExceptionType : ushort
{
    /// <summary>The call failed; retrying it as it is will fail again.</summary>
    Failed = 0,

    /// <summary>The callee is overloaded; retrying later may succeed.</summary>
    Overloaded = 1,

    /// <summary>The connection to the capability's host was lost; a new connection may succeed.</summary>
    Disconnected = 2,

    /// <summary>The callee does not implement the method (or the peer the message type).</summary>
    Unimplemented = 3,
}
