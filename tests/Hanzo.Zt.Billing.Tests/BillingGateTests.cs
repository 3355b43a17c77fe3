using Hanzo.Zt.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing.Tests;

public class BillingGateTests
{
    private sealed class ScriptedProvider : IBillingProvider
    {
        public Func<string, BalanceResult> Answer { get; set; } = account => new BalanceResult(account, "usd", 10, 0, 10);

        public List<(string Account, string Currency)> Asked { get; } = [];

        public int Calls => Asked.Count;

        public ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default)
        {
            Asked.Add((account, currency));
            return ValueTask.FromResult(Answer(account));
        }

        public ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private static BillingGate Gate(IBillingProvider provider, TimeProvider? time = null, Action<ZtBillingOptions>? configure = null, ILoggerProvider? logs = null)
    {
        var options = new ZtBillingOptions();
        configure?.Invoke(options);
        var factory = LoggerFactory.Create(b => { if (logs is not null) b.AddProvider(logs); });
        return new BillingGate(provider, Options.Create(options), time, new Logger<BillingGate>(factory));
    }

    [Fact]
    public async Task A_positive_available_balance_allows_the_dial_after_asking_the_provider_once_in_the_configured_currency()
    {
        var provider = new ScriptedProvider();
        var gate = Gate(provider, new ManualTimeProvider(), b => b.Currency = "eur");

        await Should.NotThrowAsync(async () => await gate.EnsureAllowedAsync("acme/alice"));
        await Should.NotThrowAsync(async () => await gate.EnsureAllowedAsync("acme/alice"));

        // The second dial within the cache window is answered from the first answer.
        provider.Asked.ShouldBe([("acme/alice", "eur")]);
    }

    [Fact]
    public async Task A_refusal_after_an_allowance_comes_once_the_cached_answer_expires()
    {
        var time = new ManualTimeProvider();
        var provider = new ScriptedProvider();
        var gate = Gate(provider, time);
        await gate.EnsureAllowedAsync("acme/alice");

        provider.Answer = a => new BalanceResult(a, "usd", 0, 0, 0);
        time.Advance(TimeSpan.FromSeconds(6));

        (await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await gate.EnsureAllowedAsync("acme/alice"))).AvailableCents.ShouldBe(0);
        provider.Asked.ShouldBe([("acme/alice", "usd"), ("acme/alice", "usd")]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Zero_or_negative_available_refuses_with_InsufficientBalance(long available)
    {
        var provider = new ScriptedProvider { Answer = a => new BalanceResult(a, "usd", 100, 100 - available, available) };

        var error = await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await Gate(provider).EnsureAllowedAsync("acme/alice"));

        error.AvailableCents.ShouldBe(available);
        error.Account.ShouldBe("acme/alice");
        error.ErrorCode.ShouldBe(ZtErrorCode.InsufficientBalance);
    }

    [Fact]
    public async Task Answers_are_cached_for_the_configured_time()
    {
        var time = new ManualTimeProvider();
        var provider = new ScriptedProvider();
        var gate = Gate(provider, time);

        await gate.EnsureAllowedAsync("acme/alice");
        time.Advance(TimeSpan.FromSeconds(4));
        await gate.EnsureAllowedAsync("acme/alice");
        provider.Calls.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(2));
        await gate.EnsureAllowedAsync("acme/alice");
        provider.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_refusal_is_cached_too_so_an_empty_account_cannot_hammer_the_provider()
    {
        var provider = new ScriptedProvider { Answer = a => new BalanceResult(a, "usd", 0, 0, 0) };
        var gate = Gate(provider, new ManualTimeProvider());

        await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await gate.EnsureAllowedAsync("acme/alice"));
        await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await gate.EnsureAllowedAsync("acme/alice"));

        provider.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task An_unreachable_provider_fails_closed()
    {
        var provider = new ScriptedProvider { Answer = _ => throw new HttpRequestException("connection refused") };

        var error = await Should.ThrowAsync<ZtBillingException>(async () => await Gate(provider).EnsureAllowedAsync("acme/alice"));

        error.ShouldNotBeOfType<ZtInsufficientBalanceException>();
        error.ErrorCode.ShouldBe(ZtErrorCode.Billing);
        error.Message.ShouldContain("billing provider unreachable");
        error.Message.ShouldContain("connection refused");
    }

    [Fact]
    public async Task Fail_open_allows_the_dial_when_the_provider_is_unreachable_and_logs_why()
    {
        var provider = new ScriptedProvider { Answer = _ => throw new ZtBillingException("billing provider unreachable: boom") };
        var logs = new RecordingLoggerProvider();

        await Should.NotThrowAsync(async () => await Gate(provider, configure: b => b.FailOpen = true, logs: logs).EnsureAllowedAsync("acme/alice"));

        provider.Asked.ShouldBe([("acme/alice", "usd")]);
        var warning = logs.Entries.ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Category.ShouldBe(typeof(BillingGate).FullName);
        warning.Message.ShouldContain("'acme/alice'");
        warning.Message.ShouldContain("boom");
        warning.Message.ShouldContain("fails open");
    }

    [Fact]
    public async Task Fail_open_does_not_cache_the_unknown_answer_so_the_next_dial_asks_again()
    {
        var time = new ManualTimeProvider();
        var provider = new ScriptedProvider { Answer = _ => throw new HttpRequestException("connection refused") };
        var gate = Gate(provider, time, b => b.FailOpen = true);
        await gate.EnsureAllowedAsync("acme/alice");

        provider.Answer = a => new BalanceResult(a, "usd", 0, 0, 0);

        await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await gate.EnsureAllowedAsync("acme/alice"));
        provider.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task Fail_open_still_refuses_an_empty_account()
    {
        var provider = new ScriptedProvider { Answer = a => new BalanceResult(a, "usd", 0, 0, 0) };

        await Should.ThrowAsync<ZtInsufficientBalanceException>(async () =>
            await Gate(provider, configure: b => b.FailOpen = true).EnsureAllowedAsync("acme/alice"));
    }

    [Fact]
    public async Task With_billing_off_the_provider_is_not_asked()
    {
        var provider = new ScriptedProvider { Answer = a => new BalanceResult(a, "usd", 0, 0, 0) };

        await Gate(provider, configure: b => b.Enabled = false).EnsureAllowedAsync("acme/alice");

        provider.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Gate_over_Commerce_refuses_zero_and_allows_positive_end_to_end()
    {
        await using var stub = await CommerceStub.StartAsync();
        var (services, provider) = CommerceClients.Create(stub.Address);
        await using var _ = services;
        var time = new ManualTimeProvider();
        var gate = Gate(provider, time);

        stub.Available = 1;
        await Should.NotThrowAsync(async () => await gate.EnsureAllowedAsync("acme/alice"));

        stub.Available = 0;
        time.Advance(TimeSpan.FromSeconds(6));
        await Should.ThrowAsync<ZtInsufficientBalanceException>(async () => await gate.EnsureAllowedAsync("acme/alice"));
        stub.CountRequests("/v1/billing/balance").ShouldBe(2);
    }
}
