using System.Net;
using Hanzo.Zt.Billing.Commerce;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Billing.Tests;

public sealed class CommerceBillingProviderTests : IAsyncLifetime
{
    private CommerceStub _stub = null!;

    public async Task InitializeAsync() => _stub = await CommerceStub.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private static UsageRecord Usage(string requestId, long cents = 7) => new()
    {
        RequestId = requestId,
        Account = "acme/alice",
        Service = "echo",
        SessionId = "s-1",
        Identity = "alice-laptop",
        AmountMicros = cents * UsageOutbox.MicrosPerCent,
        ClientIp = "10.0.0.1",
    };

    [Fact]
    public async Task Balance_request_carries_the_token_the_accounts_org_and_the_user()
    {
        var (services, provider) = CommerceClients.Create(_stub.Address, configure: o => o.Test = true);
        await using var _ = services;

        var balance = await provider.GetBalanceAsync("acme/alice");

        balance.Available.ShouldBe(1_000);
        balance.IsAllowed.ShouldBeTrue();
        var request = _stub.Requests.Single();
        request.Authorization.ShouldBe("Bearer svc-token");
        request.Org.ShouldBe("acme");
        request.Test.ShouldBe("true");
    }

    [Fact]
    public async Task Accounts_without_an_org_use_the_configured_org()
    {
        var (services, provider) = CommerceClients.Create(_stub.Address, configure: o => o.Org = "house");
        await using var _ = services;

        await provider.GetBalanceAsync("alice");

        _stub.Requests.Single().Org.ShouldBe("house");
        _stub.Requests.Single().Test.ShouldBeNull();
    }

    [Fact]
    public async Task Balance_wrapped_in_a_data_envelope_is_read()
    {
        _stub.Envelope = true;
        _stub.Available = 42;
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        (await provider.GetBalanceAsync("acme/alice")).Available.ShouldBe(42);
    }

    [Fact]
    public async Task Tier_aware_gate_reads_the_effective_available_balance()
    {
        _stub.Available = 9;
        var (services, provider) = CommerceClients.Create(_stub.Address, configure: o => o.TierAware = true);
        await using var _ = services;

        (await provider.GetBalanceAsync("acme/alice")).Available.ShouldBe(9);
        _stub.CountRequests("/v1/billing/tier").ShouldBe(1);
    }

    [Fact]
    public async Task Usage_is_posted_in_whole_cents_with_the_idempotency_key_and_provider_zt()
    {
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        await provider.RecordUsageAsync(Usage("req-1", cents: 12));

        var request = _stub.Requests.Single();
        request.IdempotencyKey.ShouldBe("req-1");
        request.Body.ShouldContain("\"amount\":12");
        request.Body.ShouldContain("\"provider\":\"zt\"");
        request.Body.ShouldContain("\"model\":\"echo\"");
        request.Body.ShouldContain("\"requestId\":\"req-1\"");
        request.Body.ShouldContain("\"clientIp\":\"10.0.0.1\"");
        _stub.Charged["req-1"].ShouldBe(12);
    }

    [Fact]
    public async Task Sub_cent_amounts_are_refused_rather_than_rounded()
    {
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        await Should.ThrowAsync<ArgumentException>(async () => await provider.RecordUsageAsync(Usage("req-1") with { AmountMicros = 12_345 }));
        _stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_provider_answers()
    {
        var failures = 2;
        _stub.Misbehave = async context =>
        {
            if (Interlocked.Decrement(ref failures) < 0) return false;
            await CommerceStub.ProblemAsync(context, 503, "Service Unavailable", "warming up");
            return true;
        };
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        await provider.RecordUsageAsync(Usage("req-retry"));

        _stub.CountRequests("/v1/billing/usage").ShouldBe(3);
        _stub.Requests.ShouldAllBe(r => r.IdempotencyKey == "req-retry");
        _stub.TotalCharged.ShouldBe(7);
    }

    [Fact]
    public async Task A_422_is_not_retried_and_carries_the_problem_detail()
    {
        _stub.Misbehave = async context =>
        {
            await CommerceStub.ProblemAsync(context, 422, "Unprocessable Entity", "unknown user acme/alice");
            return true;
        };
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        var error = await Should.ThrowAsync<ZtBillingException>(async () => await provider.RecordUsageAsync(Usage("req-422")));

        error.StatusCode.ShouldBe(422);
        error.ProblemTitle.ShouldBe("Unprocessable Entity");
        error.ProblemDetail.ShouldBe("unknown user acme/alice");
        error.IsPermanent.ShouldBeTrue();
        error.ErrorCode.ShouldBe(ZtErrorCode.Billing);
        error.Message.ShouldContain("422");
        error.Message.ShouldContain("unknown user acme/alice");
        _stub.CountRequests("/v1/billing/usage").ShouldBe(1);
    }

    [Fact]
    public async Task A_409_duplicate_in_flight_is_a_transient_refusal()
    {
        _stub.Misbehave = async context =>
        {
            await CommerceStub.ProblemAsync(context, 409, "Conflict", "request req-409 is in flight");
            return true;
        };
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        var error = await Should.ThrowAsync<ZtBillingException>(async () => await provider.RecordUsageAsync(Usage("req-409")));

        error.StatusCode.ShouldBe(409);
        error.IsPermanent.ShouldBeFalse();
        _stub.CountRequests("/v1/billing/usage").ShouldBe(1);
    }

    [Fact]
    public async Task Malformed_json_is_a_billing_error_naming_the_problem()
    {
        _stub.Misbehave = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"available\": \"lots\"");
            return true;
        };
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        var error = await Should.ThrowAsync<ZtBillingException>(async () => await provider.GetBalanceAsync("acme/alice"));

        error.Message.ShouldContain("malformed");
        error.StatusCode.ShouldBe(200);
        error.IsPermanent.ShouldBeFalse();
    }

    [Fact]
    public async Task A_balance_of_the_wrong_type_is_a_billing_error()
    {
        _stub.Misbehave = async context =>
        {
            await context.Response.WriteAsync("{\"user\":\"acme/alice\",\"available\":\"12\"}");
            return true;
        };
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        var error = await Should.ThrowAsync<ZtBillingException>(async () => await provider.GetBalanceAsync("acme/alice"));

        error.Message.ShouldContain("'available' is not an integer");
    }

    [Fact]
    public async Task A_provider_that_hangs_times_out_as_unreachable()
    {
        _stub.Misbehave = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { });
            return true;
        };
        var (services, provider) = CommerceClients.Create(_stub.Address, configure: o =>
        {
            // Long enough that the retry's new connection reaches the stub on a loaded machine before it times out.
            o.AttemptTimeout = TimeSpan.FromSeconds(3);
            o.MaxRetries = 1;
        });
        await using var _ = services;

        var error = await Should.ThrowAsync<ZtBillingException>(async () => await provider.GetBalanceAsync("acme/alice"));

        error.Message.ShouldContain("unreachable");
        error.StatusCode.ShouldBeNull();
        _stub.CountRequests("/v1/billing/balance").ShouldBe(2);
    }

    [Fact]
    public async Task A_provider_that_is_down_is_unreachable()
    {
        var address = _stub.Address;
        await _stub.DisposeAsync();
        _stub = await CommerceStub.StartAsync();
        var (services, provider) = CommerceClients.Create(address, configure: o => o.MaxRetries = 0);
        await using var _ = services;

        var error = await Should.ThrowAsync<ZtBillingException>(async () => await provider.GetBalanceAsync("acme/alice"));

        error.Message.ShouldContain("billing provider unreachable");
    }

    [Fact]
    public void Environment_names_of_the_metering_clients_are_read()
    {
        var env = new Dictionary<string, string>
        {
            ["COMMERCE_URL"] = "https://commerce.example",
            ["COMMERCE_SERVICE_TOKEN"] = "secret-token-12345",
            ["COMMERCE_SERVICE_ORG"] = "acme",
            ["METERING_TIER_AWARE"] = "true",
            ["METERING_FAIL_OPEN"] = "1",
            ["METERING_TEST"] = "yes",
        };

        var options = new CommerceBillingOptions().ApplyEnvironment(name => env.GetValueOrDefault(name));

        options.BaseUrl.ShouldBe("https://commerce.example");
        options.ServiceToken.ShouldBe("secret-token-12345");
        options.Org.ShouldBe("acme");
        options.TierAware.ShouldBeTrue();
        options.FailOpen.ShouldBeTrue();
        options.Test.ShouldBeTrue();
        options.ToString().ShouldNotContain("secret-token-12345");
        new CommerceBillingOptions().ApplyEnvironment(_ => null).Org.ShouldBe("hanzo");
        new CommerceBillingOptions().ApplyEnvironment(_ => null).FailOpen.ShouldBeFalse();
    }

    [Fact]
    public async Task Payment_required_on_the_balance_is_insufficient_balance()
    {
        _stub.Misbehave = async context =>
        {
            await CommerceStub.ProblemAsync(context, (int)HttpStatusCode.PaymentRequired, "Payment Required", "add credits");
            return true;
        };
        var (services, provider) = CommerceClients.Create(_stub.Address);
        await using var _ = services;

        var error = await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await provider.GetBalanceAsync("acme/alice"));

        error.ErrorCode.ShouldBe(ZtErrorCode.InsufficientBalance);
        error.ProblemDetail.ShouldBe("add credits");
    }
}
