namespace Hanzo.Zt.Zap;

/// <summary>How RPC messages are delimited on the byte stream.</summary>
public enum ZapFraming
{
    /// <summary>
    /// ZAP framing: each message is a 4-byte big-endian payload length followed by a standard Cap'n Proto
    /// message (segment table included). Zero-length and oversize frames are rejected.
    /// </summary>
    Zap = 0,

    /// <summary>The bare Cap'n Proto stream framing, as the reference <c>EzRpcClient</c>/<c>EzRpcServer</c> speak it.</summary>
    Standard = 1,
}
