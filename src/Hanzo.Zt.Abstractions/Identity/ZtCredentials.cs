namespace Hanzo.Zt.Identity;

/// <summary>What kind of secret a <see cref="ZtCredentials"/> carries.</summary>
public enum ZtCredentialKind
{
    /// <summary>A Hanzo API key (<c>HANZO_API_KEY</c>, <c>api_key</c> in auth.json).</summary>
    ApiKey,

    /// <summary>A bearer token such as a Hanzo IAM JWT (<c>token</c> in auth.json).</summary>
    Token,

    /// <summary>A user name and password (the controller's <c>password</c> method).</summary>
    Password,
}

/// <summary>
/// Credentials used to authenticate to the controller. The secret never appears in
/// <see cref="ToString"/>; use <see cref="MaskedSecret"/> to display it.
/// </summary>
public sealed class ZtCredentials
{
    /// <summary>Creates credentials.</summary>
    /// <param name="kind">The kind of secret.</param>
    /// <param name="secret">The secret itself: key, token or password. Must not be empty.</param>
    /// <param name="source">Where the credentials came from, for messages (e.g. <c>HANZO_API_KEY</c>).</param>
    /// <param name="userName">The user name or e-mail that goes with the secret, when there is one.</param>
    public ZtCredentials(ZtCredentialKind kind, string secret, string source, string? userName = null)
    {
        if (string.IsNullOrEmpty(secret))
            throw new ZtIdentityException($"credentials from {source} have an empty secret");
        Kind = kind;
        Secret = secret;
        Source = source;
        UserName = userName;
    }

    /// <summary>The kind of secret.</summary>
    public ZtCredentialKind Kind { get; }

    /// <summary>The secret. Never log it; log <see cref="MaskedSecret"/>.</summary>
    public string Secret { get; }

    /// <summary>Where the credentials came from, e.g. <c>HANZO_API_KEY</c> or a file path.</summary>
    public string Source { get; }

    /// <summary>The user name or e-mail that goes with the secret, when known.</summary>
    public string? UserName { get; }

    /// <summary>The secret with everything but its last five characters masked.</summary>
    public string MaskedSecret => SecretMask.Mask(Secret);

    /// <inheritdoc />
    public override string ToString() =>
        UserName is null ? $"{Kind} {MaskedSecret} (from {Source})" : $"{Kind} {MaskedSecret} for {UserName} (from {Source})";
}
