namespace Hanzo.Zt.Zap;

/// <summary>
/// A ZAP call or connection failed. <see cref="Type"/> is the Cap'n Proto exception type, whether it was raised
/// by the remote callee (<see cref="IsRemote"/>) or locally (a lost connection, a protocol violation).
/// </summary>
public class ZapException : ZtException
{
    /// <summary>Creates an exception of the given type.</summary>
    public ZapException(ZapExceptionType type, string message, Exception? innerException = null)
        : this(type, message, isRemote: false, remoteTrace: null, innerException)
    {
    }

    /// <summary>Creates an exception of the given type, saying whether the peer raised it.</summary>
    public ZapException(ZapExceptionType type, string message, bool isRemote, string? remoteTrace = null, Exception? innerException = null)
        : base(type == ZapExceptionType.Disconnected ? ZtErrorCode.ConnectionClosed : ZtErrorCode.Rpc, message, innerException)
    {
        Type = type;
        IsRemote = isRemote;
        RemoteTrace = remoteTrace;
    }

    /// <summary>The Cap'n Proto exception type.</summary>
    public ZapExceptionType Type { get; }

    /// <summary>True when the peer raised this exception and sent it in a <c>Return</c> or <c>Abort</c>.</summary>
    public bool IsRemote { get; }

    /// <summary>The stack trace the peer attached, when it sent one.</summary>
    public string? RemoteTrace { get; }

    /// <summary>A failure of the given kind that the local side detected.</summary>
    internal static ZapException Disconnected(string message, Exception? inner = null) =>
        new(ZapExceptionType.Disconnected, message, inner);
}

/// <summary>The peer broke the RPC protocol, or sent a frame or message that cannot be read.</summary>
public sealed class ZapProtocolException : ZapException
{
    /// <summary>Creates a protocol error.</summary>
    public ZapProtocolException(string message, Exception? innerException = null)
        : base(ZapExceptionType.Failed, message, innerException)
    {
    }
}
