using Hanzo.Zt.Identity;

namespace Hanzo.Zt.TestPlugin;

/// <summary>An identity provider whose constructor fails, to show how a broken plugin type is reported.</summary>
public sealed class BrokenIdentityProvider : IIdentityProvider
{
    public BrokenIdentityProvider() => throw new InvalidOperationException("identity store is not configured");

    public ValueTask<ZtIdentity> GetIdentityAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
