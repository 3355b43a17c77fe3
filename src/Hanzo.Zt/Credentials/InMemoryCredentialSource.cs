using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Credentials;

/// <summary>Credentials held in memory, e.g. from configuration or a secret store.</summary>
/// <param name="credentials">The credentials to hand out.</param>
public sealed class InMemoryCredentialSource(ZtCredentials credentials) : ICredentialSource
{
    private readonly ZtCredentials _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));

    /// <inheritdoc />
    public ValueTask<ZtCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_credentials);
}
