namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// The bootstrap capability of a <see cref="ZapChannel"/>: calls go to the bootstrap of the channel's live
/// connection, and when there is none they wait for the channel to connect (or fail with why it could not).
/// </summary>
internal sealed class ChannelHook(ZapChannel channel) : CapHook
{
    public override PromiseCore Call(OutgoingCall call)
    {
        if (channel.TryTakeReady() is { } ready)
        {
            try
            {
                return ready.Call(call);
            }
            finally
            {
                ready.Release();
            }
        }

        var promise = new ForwardingPromise();
        _ = SendWhenConnectedAsync(call, promise);
        return promise;
    }

    private async Task SendWhenConnectedAsync(OutgoingCall call, ForwardingPromise promise)
    {
        CapHook target;
        try
        {
            target = await channel.ConnectCoreAsync(call.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            call.Dispose();
            promise.Forward(PromiseCore.Failed(e));
            return;
        }

        try
        {
            if (promise.IsAbandoned)
            {
                call.Dispose();
                return;
            }

            promise.Forward(target.Call(call));
        }
        finally
        {
            target.Release();
        }
    }
}
