using Hanzo.Zt.Credentials;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Tests.Credentials;

public sealed class HanzoCredentialResolverTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("zt-home-").FullName;
    private readonly Dictionary<string, string?> _env = new();

    private HanzoCredentialResolver Resolver => new(name => _env.GetValueOrDefault(name), _home);

    private void WriteAuthFile(string json)
    {
        Directory.CreateDirectory(Path.Combine(_home, ".hanzo"));
        File.WriteAllText(Path.Combine(_home, ".hanzo", "auth.json"), json);
    }

    [Fact]
    public void Environment_api_key_wins_over_the_auth_file()
    {
        _env["HANZO_API_KEY"] = "env-key-12345";
        WriteAuthFile("""{"token":"file-token"}""");

        var credentials = Resolver.Resolve();

        credentials.Kind.ShouldBe(ZtCredentialKind.ApiKey);
        credentials.Secret.ShouldBe("env-key-12345");
        credentials.Source.ShouldBe("HANZO_API_KEY");
    }

    [Fact]
    public void Empty_environment_key_falls_through_to_the_auth_file()
    {
        _env["HANZO_API_KEY"] = "  ";
        WriteAuthFile("""{"api_key":"file-key-99999","email":"dev@hanzo.ai"}""");

        var credentials = Resolver.Resolve();

        credentials.Kind.ShouldBe(ZtCredentialKind.ApiKey);
        credentials.Secret.ShouldBe("file-key-99999");
        credentials.UserName.ShouldBe("dev@hanzo.ai");
    }

    [Fact]
    public void Auth_file_token_is_preferred_over_its_api_key()
    {
        WriteAuthFile("""{"token":"eyJ.token.x","api_key":"file-key"}""");

        var credentials = Resolver.Resolve();

        credentials.Kind.ShouldBe(ZtCredentialKind.Token);
        credentials.Secret.ShouldBe("eyJ.token.x");
        credentials.UserName.ShouldBeNull();
    }

    [Fact]
    public void Missing_everywhere_names_both_places()
    {
        var error = Should.Throw<ZtIdentityException>(() => Resolver.Resolve());

        error.ErrorCode.ShouldBe(ZtErrorCode.Identity);
        error.Message.ShouldContain("HANZO_API_KEY");
        error.Message.ShouldContain(Path.Combine(_home, ".hanzo", "auth.json"));
    }

    [Fact]
    public void Malformed_auth_file_is_an_identity_error_naming_the_file()
    {
        WriteAuthFile("{ not json");

        var error = Should.Throw<ZtIdentityException>(() => Resolver.Resolve());

        error.Message.ShouldContain("auth.json is not valid JSON");
    }

    [Fact]
    public void Auth_file_without_secrets_says_what_it_lacks()
    {
        WriteAuthFile("""{"email":"dev@hanzo.ai"}""");

        Should.Throw<ZtIdentityException>(() => Resolver.Resolve()).Message.ShouldContain("neither a 'token' nor an 'api_key'");
    }

    [Fact]
    public void Home_directory_comes_from_HOME_when_not_given()
    {
        _env["HOME"] = _home;
        WriteAuthFile("""{"token":"t-abcdef"}""");

        new HanzoCredentialResolver(name => _env.GetValueOrDefault(name), homeDirectory: null).AuthFilePath
            .ShouldBe(Path.Combine(_home, ".hanzo", "auth.json"));
    }

    [Fact]
    public async Task In_memory_source_hands_out_its_credentials()
    {
        var credentials = new ZtCredentials(ZtCredentialKind.Password, "hunter2-hunter2", "memory", "admin");

        (await new InMemoryCredentialSource(credentials).GetCredentialsAsync()).ShouldBeSameAs(credentials);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
