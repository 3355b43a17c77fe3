using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>
/// A reference to a capability: an object, local or remote, that calls can be made on. Owning a
/// <see cref="ZapCapability"/> holds the object alive; <see cref="Dispose"/> gives the reference back (for a
/// remote object, the peer is told once every reference to it is gone).
/// </summary>
public sealed class ZapCapability : IDisposable
{
    private CapHook? _hook;

    internal ZapCapability(CapHook hook) => _hook = hook;

    /// <summary>A capability served by <paramref name="server"/> in this process, to call locally or pass to a peer.</summary>
    public static ZapCapability FromServer(IZapServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new ZapCapability(new LocalServerHook(server));
    }

    /// <summary>A capability every call to which fails with <paramref name="error"/>.</summary>
    public static ZapCapability Broken(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ZapCapability(new BrokenHook(error));
    }

    /// <summary>The null capability: calls fail.</summary>
    public static ZapCapability Null() => new(BrokenHook.Null());

    internal CapHook Hook => _hook ?? throw new ObjectDisposedException(nameof(ZapCapability));

    /// <summary>True when this reference is (or has resolved to) a null or broken capability.</summary>
    public bool IsBroken => Hook.Resolved is BrokenHook;

    /// <summary>Starts a call of method <paramref name="methodId"/> of interface <paramref name="interfaceId"/>.</summary>
    public ZapRequest NewCall(ulong interfaceId, ushort methodId) => new(Hook, interfaceId, methodId);

    /// <summary>Another reference to the same capability, disposed separately.</summary>
    public ZapCapability Clone() => new(Hook.AddRef());

    /// <summary>Completes when this capability, if it is a promise, has resolved (or broken).</summary>
    public async Task WhenResolvedAsync(CancellationToken cancellationToken = default)
    {
        var hook = Hook;
        while (hook.WhenResolved is { } pending)
        {
            hook = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives the reference back.</summary>
    public void Dispose() => Interlocked.Exchange(ref _hook, null)?.Release();
}
