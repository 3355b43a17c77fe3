using System.Runtime.CompilerServices;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>
/// The pending results of a call. Await it once for a <see cref="ZapResponse"/> (which then owns the results), or
/// call <see cref="GetPipelinedCapability"/> to use a capability the results will hold before they arrive.
/// Dispose a promise that is never awaited: if the call is still running, that cancels it.
/// </summary>
/// <remarks>
/// A small view of pooled state: copies of it name the same call, and the first await or dispose through any copy
/// ends them all. Awaiting a second time, or after disposing, throws <see cref="InvalidOperationException"/>; it
/// never yields the results of another call. Disposing after awaiting does nothing.
/// </remarks>
public readonly struct ZapPromise : IDisposable
{
    private readonly PromiseCore? _core;
    private readonly int _generation;
    private readonly CancellationToken _cancellationToken;

    internal ZapPromise(PromiseCore core, CancellationToken cancellationToken)
    {
        _core = core;
        _generation = core.Generation;
        _cancellationToken = cancellationToken;
    }

    private PromiseCore Held
    {
        get
        {
            var core = _core ?? throw new InvalidOperationException("this promise is empty (default): it belongs to no call");
            if (!core.PromiseHeld(_generation))
            {
                throw new InvalidOperationException("the promise was already awaited or disposed: a ZapPromise gives its results once");
            }

            return core;
        }
    }

    /// <summary>
    /// A capability the results will hold: <paramref name="pointerPath"/> lists pointer-field indexes from the
    /// results struct down to the capability field. Calls on it are sent at once (pipelined).
    /// </summary>
    /// <exception cref="InvalidOperationException">The promise was already awaited or disposed.</exception>
    public ZapCapability GetPipelinedCapability(params ReadOnlySpan<ushort> pointerPath) =>
        new(Held.GetPipelinedCap(pointerPath.ToArray()));

    /// <summary>Waits for the results; the response takes over this promise's hold on them. Await it once.</summary>
    /// <exception cref="ZapException">The call failed, the callee raised an exception, or the connection was lost.</exception>
    /// <exception cref="OperationCanceledException">The call's cancellation token was canceled.</exception>
    /// <exception cref="InvalidOperationException">The promise was already awaited or disposed.</exception>
    public ValueTask<ZapResponse> ResponseAsync()
    {
        var core = Held;
        if (_cancellationToken.CanBeCanceled && core is not RemoteQuestion)
        {
            // A local call may keep running after its caller cancels: stop waiting for it at once.
            return WaitCanceledAsync(core, _generation, _cancellationToken);
        }

        return new ValueTask<ZapResponse>(core, core.BeginAwait(_generation));
    }

    private static async ValueTask<ZapResponse> WaitCanceledAsync(PromiseCore core, int generation, CancellationToken cancellationToken)
    {
        try
        {
            await core.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            core.ReleasePromise(generation);
            throw;
        }

        return core.TakeResponse(generation);
    }

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public ValueTaskAwaiter<ZapResponse> GetAwaiter() => ResponseAsync().GetAwaiter();

    /// <summary>Lets go of the results; cancels the call when nothing else is waiting for it. Does nothing after an await.</summary>
    public void Dispose() => _core?.ReleasePromise(_generation);
}
