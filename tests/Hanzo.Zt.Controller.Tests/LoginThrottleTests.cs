using System.Net;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>A controller whose window is long enough that no test can outlive it.</summary>
public sealed class LoginThrottleFixture : IAsyncLifetime
{
    public ControllerFixture Controller { get; } = new(o =>
    {
        o.LoginThrottleWindow = TimeSpan.FromHours(1);
        o.MaxFailedLoginsPerUser = 3;
        o.MaxFailedLoginsPerAddress = 10;
    });

    public Task InitializeAsync() => Controller.InitializeAsync();

    public Task DisposeAsync() => Controller.DisposeAsync();
}

/// <summary>Password guessing against the controller is throttled per username and per source address.</summary>
public class LoginThrottleTests(LoginThrottleFixture fixture) : IClassFixture<LoginThrottleFixture>
{
    private Task<ApiResponse> LoginAsync(string username, string password) =>
        fixture.Controller.Anonymous.PostAsync("/edge/client/v1/authenticate?method=password", new { username, password });

    [Fact]
    public async Task Guessing_one_users_password_is_answered_429_with_retry_after_even_for_the_right_password()
    {
        var name = Unique("target");
        await fixture.Controller.CreateUserAsync(name);
        for (int i = 0; i < 3; i++) (await LoginAsync(name, "guess-" + i)).ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/edge/client/v1/authenticate?method=password")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { username = name, password = "user-password-1" }),
        };
        using var response = await fixture.Controller.Anonymous.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        (await LoginAsync(name, "user-password-1")).ShouldBeError(HttpStatusCode.TooManyRequests, "TOO_MANY_ATTEMPTS");
    }

    [Fact]
    public async Task Spraying_many_usernames_from_one_address_is_throttled()
    {
        // Each username is tried once, so no per-user limit applies; the address's ten failures (some may come
        // from other tests of this class) end in 429.
        var prefix = Unique("spray");
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i <= 10; i++) statuses.Add((await LoginAsync(prefix + i, "password-1")).Status);

        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        statuses[^1].ShouldBe(HttpStatusCode.TooManyRequests);
        statuses.SkipWhile(s => s == HttpStatusCode.Unauthorized).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
    }
}
