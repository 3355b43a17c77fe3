using System.Runtime.CompilerServices;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>
/// The pending results of a call. Await it for a <see cref="ZapResponse"/> (which then owns the results), or
/// call <see cref="GetPipelinedCapability"/> to use a capability the results will hold before they arrive.
/// Dispose a promise that is never awaited: if the call is still running, that cancels it.
/// </summary>
public sealed class ZapPromise : IDisposable
{
    private readonly PromiseCore _core;
    private readonly CancellationToken _cancellationToken;
    private int _ownsHandle = 1;

    internal ZapPromise(PromiseCore core, CancellationToken cancellationToken)
    {
        _core = core;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// A capability the results will hold: <paramref name="pointerPath"/> lists pointer-field indexes from the
    /// results struct down to the capability field. Calls on it are sent at once (pipelined).
    /// </summary>
    public ZapCapability GetPipelinedCapability(params ReadOnlySpan<ushort> pointerPath) =>
        new(_core.GetPipelinedCap(pointerPath.ToArray()));

    /// <summary>Waits for the results; the response takes over this promise's hold on them.</summary>
    /// <exception cref="ZapException">The call failed, the callee raised an exception, or the connection was lost.</exception>
    /// <exception cref="OperationCanceledException">The call's cancellation token was canceled.</exception>
    /// <remarks>The returned task is pooled: await it once.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ZapResponse> ResponseAsync()
    {
        ResponseCore core;
        try
        {
            core = await _core.Task.WaitAsync(_cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Dispose();
            throw;
        }

        var owned = Interlocked.Exchange(ref _ownsHandle, 0) == 1 ? _core : null;
        return new ZapResponse(core.AddRef(), owned);
    }

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public ValueTaskAwaiter<ZapResponse> GetAwaiter() => ResponseAsync().GetAwaiter();

    /// <summary>Lets go of the results; cancels the call when nothing else is waiting for it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ownsHandle, 0) == 1)
        {
            _core.ReleaseHandle();
        }
    }
}
