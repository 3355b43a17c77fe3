namespace Hanzo.Zt.Identity;

/// <summary>Supplies the credentials used to authenticate to the controller.</summary>
public interface ICredentialSource
{
    /// <summary>Resolves the credentials.</summary>
    /// <exception cref="ZtIdentityException">No credentials could be found; the message names every place looked at.</exception>
    ValueTask<ZtCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default);
}
