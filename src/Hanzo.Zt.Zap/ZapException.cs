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

    /// <summary>
    /// The error a server raises for a call to an interface it does not implement. Generated servers throw it; it is
    /// made here, out of line, so their dispatch methods carry no string formatting and stay cheap to enter.
    /// </summary>
    /// <param name="server">The name of the server's interface, for the message.</param>
    /// <param name="interfaceId">The interface the call named.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static ZapException UnimplementedInterface(string server, ulong interfaceId) =>
        new(ZapExceptionType.Unimplemented, $"{server} does not implement interface 0x{interfaceId:x16}");

    /// <summary>
    /// The error a server raises for a method ordinal its interface does not have. Generated servers throw it, made
    /// out of line as <see cref="UnimplementedInterface"/> is.
    /// </summary>
    /// <param name="interfaceName">The name of the interface, for the message.</param>
    /// <param name="methodId">The method ordinal the call named.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static ZapException UnimplementedMethod(string interfaceName, ushort methodId) =>
        new(ZapExceptionType.Unimplemented, $"{interfaceName} has no method {methodId}");

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
