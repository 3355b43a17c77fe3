namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// A capability hosted by the peer: an import, or a capability pipelined on a question. Once it resolves (a
/// promise import's <c>Resolve</c>, a question's <c>Return</c>), calls go to the resolution; when that is a
/// capability hosted here and calls were already sent through the peer, new calls wait behind an embargo until the
/// peer echoes a <c>Disembargo</c>, so every call is delivered in the order it was made.
/// </summary>
internal abstract class RemoteHook : CapHook
{
    protected readonly object Lock = new();
    private volatile CapHook? _resolution;
    private bool _callsSent;

    protected RemoteHook(ZapConnection connection)
    {
        Connection = connection;
        TargetWriter = WriteTarget;
    }

    public ZapConnection Connection { get; }

    /// <summary><see cref="WriteTarget"/> as a delegate made once, so a call allocates none.</summary>
    protected Action<Capnp.StructBuilder> TargetWriter { get; }

    /// <summary>True while calls on this hook go to the peer as they are.</summary>
    public bool IsDirect => _resolution is null;

    public override CapHook Resolved => _resolution?.Resolved ?? this;

    public override PromiseCore Call(OutgoingCall call)
    {
        CapHook? resolution;
        lock (Lock)
        {
            resolution = _resolution;
            if (resolution is null)
            {
                _callsSent = true;

                // Sent under the lock, so a disembargo decided later is queued after this call.
                return SendCall(call);
            }
        }

        return resolution.Call(call);
    }

    protected abstract PromiseCore SendCall(OutgoingCall call);

    /// <summary>Writes this hook's <c>MessageTarget</c>.</summary>
    protected abstract void WriteTarget(Capnp.StructBuilder target);

    /// <summary>Writes this hook's <c>MessageTarget</c> into a reflected <c>Disembargo</c>.</summary>
    public void WriteDisembargoTarget(Capnp.StructBuilder target) => WriteTarget(target);

    /// <summary>Points this hook at <paramref name="resolution"/> (owning its reference).</summary>
    protected void ResolveTo(CapHook resolution)
    {
        CapHook? previous;
        lock (Lock)
        {
            previous = _resolution;
            if (previous is not null)
            {
                resolution.Release();
                return;
            }

            var target = resolution.Resolved;
            bool local = target is not RemoteHook remote || remote.Connection != Connection;
            if (local && target is not BrokenHook && _callsSent && Connection.IsOpen)
            {
                var gate = new PromiseHook();
                _resolution = gate;
                Connection.SendDisembargo(WriteTarget, (PromiseHook)gate.AddRef(), resolution);
                return;
            }

            _resolution = resolution;
        }
    }

    protected override void OnReleased()
    {
        _resolution?.Release();
    }
}
