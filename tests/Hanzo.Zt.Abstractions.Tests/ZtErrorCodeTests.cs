namespace Hanzo.Zt.Abstractions.Tests;

public class ZtErrorCodeTests
{
    [Fact]
    public void Error_codes_keep_their_published_values()
    {
        ((int)ZtErrorCode.AuthFailed).ShouldBe(1);
        ((int)ZtErrorCode.AccessDenied).ShouldBe(13);
    }
}
