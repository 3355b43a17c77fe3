using Hanzo.Zt.Configuration;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Tests.Configuration;

public class ZtConfigBuilderTests
{
    [Fact]
    public void Build_applies_the_documented_defaults()
    {
        var config = ZtConfig.CreateBuilder()
            .WithControllerUrl("https://ctrl.example:1280")
            .WithApiKey("sk-test-1234567890")
            .WithBillingProvider(new NoBalance())
            .Build();

        config.ControllerUrl.ShouldBe(new Uri("https://ctrl.example:1280"));
        config.BillingEnabled.ShouldBeTrue();
        config.OutboxPath.ShouldBeNull();
        config.Currency.ShouldBe("usd");
        config.ConnectTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        config.RequestTimeout.ShouldBe(TimeSpan.FromSeconds(15));
        config.Credentials!.Kind.ShouldBe(ZtCredentialKind.ApiKey);
    }

    [Fact]
    public void Build_without_controller_or_credentials_names_both()
    {
        var error = Should.Throw<ZtConfigurationException>(() => ZtConfig.CreateBuilder().Build());

        error.ErrorCode.ShouldBe(ZtErrorCode.InvalidConfig);
        error.Message.ShouldContain("controller URL is required");
        error.Message.ShouldContain("credentials are required");
        error.Message.ShouldContain("no billing provider is set");
    }

    [Fact]
    public void An_identity_file_needs_no_controller_url()
    {
        var config = ZtConfig.CreateBuilder().WithIdentityFile("/id.json").WithBilling(enabled: false).Build();

        config.ControllerUrl.ShouldBeNull();
    }

    [Fact]
    public void Build_rejects_a_relative_controller_url()
    {
        var error = Should.Throw<ZtConfigurationException>(() =>
            ZtConfig.CreateBuilder().WithControllerUrl("ctrl:1280/x").WithApiKey("k-123456").Build());

        error.Message.ShouldContain("controller URL 'ctrl:1280/x' is not an absolute http(s) URL");
    }

    [Fact]
    public void Build_rejects_non_positive_timeouts()
    {
        var error = Should.Throw<ZtConfigurationException>(() => ZtConfig.CreateBuilder()
            .WithControllerUrl("https://c")
            .WithIdentityFile("/id.json")
            .WithConnectTimeout(TimeSpan.Zero)
            .WithRequestTimeout(TimeSpan.FromSeconds(-1))
            .Build());

        error.Message.ShouldContain("connect timeout must be positive");
        error.Message.ShouldContain("request timeout must be positive");
    }

    [Fact]
    public void Billing_can_be_turned_off()
    {
        var config = ZtConfig.CreateBuilder()
            .WithControllerUrl("https://c")
            .WithIdentityFile("/id.json")
            .WithBilling(enabled: false)
            .Build();

        config.BillingEnabled.ShouldBeFalse();
        config.IdentityFile.ShouldBe("/id.json");
    }

    [Fact]
    public void Build_rejects_a_bad_currency()
    {
        var error = Should.Throw<ZtConfigurationException>(() => ZtConfig.CreateBuilder()
            .WithControllerUrl("https://c")
            .WithApiKey("k-123456")
            .WithBilling(enabled: true, currency: "US")
            .WithBillingProvider(new NoBalance())
            .Build());

        error.Message.ShouldContain("currency must be a lower case ISO 4217 code");
    }

    [Fact]
    public void ToString_never_shows_the_secret()
    {
        var config = ZtConfig.CreateBuilder().WithControllerUrl("https://c").WithApiKey("sk-live-SECRETVALUE-abcde").WithBilling(enabled: false).Build();

        config.ToString().ShouldNotContain("SECRETVALUE");
        config.ToString().ShouldContain("abcde");
    }

    private sealed class NoBalance : Hanzo.Zt.Billing.IBillingProvider
    {
        public ValueTask<Hanzo.Zt.Billing.BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new Hanzo.Zt.Billing.BalanceResult(account, currency, 0, 0, 0));

        public ValueTask RecordUsageAsync(Hanzo.Zt.Billing.UsageRecord usage, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
