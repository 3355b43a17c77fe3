namespace Hanzo.Zt.Zap;

/// <summary>
/// The implementation behind a capability: receives every call made to it. Generated server skeletons implement
/// this and dispatch on <see cref="ZapCallContext.InterfaceId"/> and <see cref="ZapCallContext.MethodId"/>.
/// </summary>
/// <remarks>
/// Calls arrive in the order the caller made them; <see cref="DispatchAsync"/> runs synchronously until its first
/// await on the thread that delivered the call, so a method that completes without awaiting answers fastest.
/// When the last reference to the capability is released, the server is disposed if it is
/// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>.
/// </remarks>
public interface IZapServer
{
    /// <summary>
    /// Handles one call: reads <see cref="ZapCallContext.Params"/>, writes results with
    /// <see cref="ZapCallContext.InitResults"/>. An exception becomes the caller's <see cref="ZapException"/>:
    /// a <see cref="ZapException"/> keeps its type, anything else is <see cref="ZapExceptionType.Failed"/> with its message.
    /// </summary>
    ValueTask DispatchAsync(ZapCallContext context);
}
