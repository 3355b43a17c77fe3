namespace Hanzo.Zt.Identity;

/// <summary>Provides the x509 identity this process presents to the controller, routers and peers.</summary>
public interface IIdentityProvider
{
    /// <summary>Loads (or creates, for enrolling providers) the identity.</summary>
    /// <exception cref="ZtIdentityException">The identity is missing, malformed or its key does not match.</exception>
    ValueTask<ZtIdentity> GetIdentityAsync(CancellationToken cancellationToken = default);
}
