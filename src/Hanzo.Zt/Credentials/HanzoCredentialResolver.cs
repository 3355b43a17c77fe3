using System.Text.Json;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Credentials;

/// <summary>
/// Resolves credentials the way every Hanzo SDK does: the <c>HANZO_API_KEY</c> environment variable when
/// set and non-empty, else <c>$HOME/.hanzo/auth.json</c> (<c>token</c>, else <c>api_key</c>; <c>email</c>
/// optional), else a <see cref="ZtIdentityException"/> naming both places.
/// </summary>
public sealed class HanzoCredentialResolver : ICredentialSource
{
    /// <summary>The environment variable consulted first.</summary>
    public const string ApiKeyVariable = "HANZO_API_KEY";

    private readonly Func<string, string?> _environment;
    private readonly string? _homeDirectory;

    /// <summary>A resolver over this process's environment and home directory.</summary>
    public static HanzoCredentialResolver Default { get; } = new();

    /// <summary>Creates a resolver over this process's environment and home directory.</summary>
    public HanzoCredentialResolver()
        : this(Environment.GetEnvironmentVariable, homeDirectory: null)
    {
    }

    /// <summary>Creates a resolver over a given environment and home directory (for tools and tests).</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="homeDirectory">The home directory; when null, <c>HOME</c> from <paramref name="environment"/>, then the user profile folder.</param>
    public HanzoCredentialResolver(Func<string, string?> environment, string? homeDirectory)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _homeDirectory = homeDirectory;
    }

    /// <summary>The auth file this resolver reads.</summary>
    public string AuthFilePath => Path.Combine(HomeDirectory, ".hanzo", "auth.json");

    private string HomeDirectory =>
        _homeDirectory
        ?? NonEmpty(_environment("HOME"))
        ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <inheritdoc />
    public ValueTask<ZtCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Resolve());

    /// <summary>Resolves the credentials synchronously.</summary>
    /// <exception cref="ZtIdentityException">No credentials were found, or the auth file is malformed.</exception>
    public ZtCredentials Resolve()
    {
        if (NonEmpty(_environment(ApiKeyVariable)) is { } apiKey)
            return new ZtCredentials(ZtCredentialKind.ApiKey, apiKey, ApiKeyVariable);

        var path = AuthFilePath;
        if (File.Exists(path))
            return ReadAuthFile(path);

        throw new ZtIdentityException(
            $"no Hanzo credentials found: set {ApiKeyVariable} or log in so that {path} holds a 'token' or 'api_key'");
    }

    private static ZtCredentials ReadAuthFile(string path)
    {
        AuthFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize(stream, AuthFileJsonContext.Default.AuthFile);
        }
        catch (JsonException e)
        {
            throw new ZtIdentityException($"{path} is not valid JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ZtIdentityException($"{path} could not be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ZtIdentityException($"{path} could not be read: {e.Message}", e);
        }

        var email = NonEmpty(file?.Email);
        if (NonEmpty(file?.Token) is { } token)
            return new ZtCredentials(ZtCredentialKind.Token, token, path, email);
        if (NonEmpty(file?.ApiKey) is { } key)
            return new ZtCredentials(ZtCredentialKind.ApiKey, key, path, email);

        throw new ZtIdentityException($"{path} holds neither a 'token' nor an 'api_key'; log in again or set {ApiKeyVariable}");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
