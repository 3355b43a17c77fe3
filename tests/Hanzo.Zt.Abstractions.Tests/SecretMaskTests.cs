using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Abstractions.Tests;

public class SecretMaskTests
{
    [Theory]
    [InlineData("sk-live-0123456789", "*************56789")]
    [InlineData("abcdef", "*bcdef")]
    [InlineData("abcde", "*****")]
    [InlineData("ab", "**")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Only_the_last_five_characters_stay_visible(string? secret, string expected)
    {
        SecretMask.Mask(secret).ShouldBe(expected);
    }

    [Fact]
    public void Credentials_never_print_their_secret()
    {
        var credentials = new ZtCredentials(ZtCredentialKind.ApiKey, "sk-live-TOPSECRET-xyz12", "HANZO_API_KEY", "dev@hanzo.ai");

        credentials.ToString().ShouldNotContain("TOPSECRET");
        credentials.ToString().ShouldContain("xyz12");
        credentials.MaskedSecret.ShouldEndWith("xyz12");
    }

    [Fact]
    public void Empty_secret_is_an_identity_error_naming_the_source()
    {
        Should.Throw<ZtIdentityException>(() => new ZtCredentials(ZtCredentialKind.Token, "", "auth.json"))
            .Message.ShouldContain("auth.json");
    }
}
