namespace Hanzo.Zt.Zap;

/// <summary>
/// The base of generated client proxies: a typed face on a <see cref="ZapCapability"/>, which the proxy owns
/// and disposes.
/// </summary>
public abstract class ZapProxy : IDisposable
{
    /// <summary>Wraps <paramref name="capability"/>, taking over its reference.</summary>
    protected ZapProxy(ZapCapability capability)
    {
        ArgumentNullException.ThrowIfNull(capability);
        Capability = capability;
    }

    /// <summary>The capability calls go to.</summary>
    public ZapCapability Capability { get; }

    /// <summary>Completes when the capability, if it is a promise, has resolved.</summary>
    public Task WhenResolvedAsync(CancellationToken cancellationToken = default) => Capability.WhenResolvedAsync(cancellationToken);

    /// <summary>Gives the capability's reference back.</summary>
    public void Dispose()
    {
        Capability.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The capability to send for <paramref name="implementation"/>: a new reference to the proxy's capability
    /// when it is a proxy (so calls go straight to the remote object), else a local server from
    /// <paramref name="serve"/>.
    /// </summary>
    public static ZapCapability ToCapability<T>(T? implementation, Func<T, IZapServer> serve)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(serve);
        return implementation switch
        {
            null => ZapCapability.Null(),
            ZapProxy proxy => proxy.Capability.Clone(),
            _ => ZapCapability.FromServer(serve(implementation)),
        };
    }
}
