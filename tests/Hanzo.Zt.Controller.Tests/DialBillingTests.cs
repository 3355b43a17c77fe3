using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Billing;
using Microsoft.Extensions.Options;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>Balances as a billing provider would report them, counting how often it is asked.</summary>
public sealed class InMemoryBalances : IBillingProvider
{
    private readonly ConcurrentDictionary<string, long> _balances = new();
    private int _asked;

    public int Asked => Volatile.Read(ref _asked);

    public bool Unreachable { get; set; }

    public void Set(string account, long cents) => _balances[account] = cents;

    public ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _asked);
        if (Unreachable) throw new HttpRequestException("connection refused");
        var cents = _balances.GetValueOrDefault(account);
        return ValueTask.FromResult(new BalanceResult(account, currency, cents, 0, cents));
    }

    public ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the controller never records usage");
}

public sealed class BilledControllerFixture : IAsyncLifetime
{
    public InMemoryBalances Balances { get; } = new();

    public ControllerFixture Controller { get; }

    public BilledControllerFixture() =>
        Controller = new ControllerFixture(o => o.BillingGate = new BillingGate(Balances,
            Options.Create(new ZtBillingOptions { BalanceCacheDuration = TimeSpan.FromMinutes(10) })));

    public Task InitializeAsync() => Controller.InitializeAsync();

    public Task DisposeAsync() => Controller.DisposeAsync();
}

/// <summary>The controller's balance check of Dial sessions, against the billing account it holds for the identity.</summary>
public sealed class DialBillingTests(BilledControllerFixture fixture) : IClassFixture<BilledControllerFixture>
{
    private ControllerFixture Controller => fixture.Controller;

    private async Task<(string IdentityId, ZtApi Api, string Service)> DialerAsync(string? billingAccount)
    {
        var name = Unique("dialer");
        var (id, api) = await Controller.CreateUserAsync(name);
        if (billingAccount is not null)
            (await Controller.Admin.PatchAsync("/edge/management/v1/identities/" + id, new { billingAccount })).ShouldBeOk();
        var service = Unique("svc");
        await Controller.CreateAsync("services", new { name = service });
        await Controller.CreateAsync("service-policies", new { name = Unique("dial"), type = "Dial", semantic = "AnyOf", identityRoles = new[] { "@" + id }, serviceRoles = new[] { "@" + service } });
        await Controller.CreateAsync("service-policies", new { name = Unique("bind"), type = "Bind", semantic = "AnyOf", identityRoles = new[] { "@" + id }, serviceRoles = new[] { "@" + service } });
        return (id, api, service);
    }

    [Fact]
    public async Task A_dial_at_zero_balance_is_refused_with_402_INSUFFICIENT_BALANCE_naming_the_account_and_amount()
    {
        var account = Unique("acme") + "/alice";
        var (_, api, service) = await DialerAsync(account);

        var refused = await api.PostAsync("/edge/client/v1/sessions", new { serviceName = service, type = "Dial" });

        refused.ShouldBeError(HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        var error = refused.Json.GetProperty("error");
        error.GetProperty("message").GetString()!.ShouldContain(account);
        error.GetProperty("message").GetString()!.ShouldContain("balance");
        error.GetProperty("cause").GetProperty("account").GetString().ShouldBe(account);
        error.GetProperty("cause").GetProperty("available").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task A_funded_dial_gets_a_token_carrying_the_identitys_account_whatever_the_body_claims()
    {
        var account = Unique("acme") + "/bob";
        var (_, api, service) = await DialerAsync(account);
        fixture.Balances.Set(account, 500);

        var session = await api.PostAsync("/edge/client/v1/sessions", new { serviceName = service, type = "Dial", billingAccount = "someone/else" });

        session.ShouldBeOk();
        session.Data.GetProperty("billingAccount").GetString().ShouldBe(account);
        var claims = Controller.Host.CreateSessionTokenVerifier().Verify(session.Data.GetProperty("token").GetString()!);
        claims.BillingAccount.ShouldBe(account);
    }

    [Fact]
    public async Task Repeated_refused_dials_are_answered_from_the_cache_with_Retry_After_and_ask_the_provider_once()
    {
        var account = Unique("acme") + "/carol";
        var (_, api, service) = await DialerAsync(account);
        int before = fixture.Balances.Asked;

        for (int i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/edge/client/v1/sessions") { Content = JsonContent.Create(new { serviceName = service, type = "Dial" }) };
            request.Headers.Add("zt-session", api.Token);
            using var response = await api.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.PaymentRequired);
            response.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromMinutes(10));
        }

        (fixture.Balances.Asked - before).ShouldBe(1);
    }

    [Fact]
    public async Task An_identity_without_a_billing_account_cannot_dial_but_may_bind()
    {
        var (_, api, service) = await DialerAsync(billingAccount: null);

        (await api.PostAsync("/edge/client/v1/sessions", new { serviceName = service, type = "Dial" }))
            .ShouldBeError(HttpStatusCode.PaymentRequired, "NO_BILLING_ACCOUNT");
        (await api.PostAsync("/edge/client/v1/sessions", new { serviceName = service, type = "Bind" })).ShouldBeOk();
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("/name")]
    [InlineData("org/")]
    [InlineData("a/b/c")]
    [InlineData("org/with space")]
    public async Task A_billing_account_must_be_org_slash_name(string account)
    {
        var created = await Controller.Admin.PostAsync("/edge/management/v1/identities", new { name = Unique("bad"), type = "User", billingAccount = account });

        created.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
        created.Json.GetProperty("error").GetProperty("cause").GetProperty("field").GetString().ShouldBe("billingAccount");
    }

    [Fact]
    public async Task An_administrator_sets_and_clears_the_billing_account()
    {
        var id = await Controller.CreateAsync("identities", new { name = Unique("paid"), type = "User", billingAccount = "acme/dave" });
        (await Controller.Admin.GetAsync("/edge/management/v1/identities/" + id)).Data.GetProperty("billingAccount").GetString().ShouldBe("acme/dave");

        (await Controller.Admin.PatchAsync("/edge/management/v1/identities/" + id, new { billingAccount = "" })).ShouldBeOk();

        (await Controller.Admin.GetAsync("/edge/management/v1/identities/" + id)).Data.GetProperty("billingAccount").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}

/// <summary>A billing provider that cannot be reached: dials fail closed.</summary>
public sealed class UnreachableBillingTests : IAsyncLifetime
{
    private readonly InMemoryBalances _balances = new() { Unreachable = true };
    private ControllerFixture _controller = null!;

    public async Task InitializeAsync()
    {
        _controller = new ControllerFixture(o => o.BillingGate = new BillingGate(_balances, Options.Create(new ZtBillingOptions())));
        await _controller.InitializeAsync();
    }

    public Task DisposeAsync() => _controller.DisposeAsync();

    [Fact]
    public async Task A_dial_fails_closed_with_503_BILLING_UNAVAILABLE_when_the_provider_is_unreachable()
    {
        var (id, api) = await _controller.CreateUserAsync(Unique("dialer"));
        (await _controller.Admin.PatchAsync("/edge/management/v1/identities/" + id, new { billingAccount = "acme/erin" })).ShouldBeOk();
        var service = Unique("svc");
        await _controller.CreateAsync("services", new { name = service });
        await _controller.CreateAsync("service-policies", new { name = Unique("dial"), type = "Dial", semantic = "AnyOf", identityRoles = new[] { "@" + id }, serviceRoles = new[] { "@" + service } });

        var refused = await api.PostAsync("/edge/client/v1/sessions", new { serviceName = service, type = "Dial" });

        refused.ShouldBeError(HttpStatusCode.ServiceUnavailable, "BILLING_UNAVAILABLE");
        refused.Json.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("acme/erin");
    }
}
