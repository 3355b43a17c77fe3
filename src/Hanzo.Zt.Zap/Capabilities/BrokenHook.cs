namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>A capability every call to which fails with the same exception: a null or broken reference.</summary>
internal sealed class BrokenHook(Exception error) : CapHook
{
    public static BrokenHook Null() =>
        new(new ZapException(ZapExceptionType.Failed, "called a null capability"));

    public Exception Error { get; } = error;

    public override PromiseCore Call(OutgoingCall call)
    {
        call.Dispose();
        return PromiseCore.Failed(Error);
    }
}
