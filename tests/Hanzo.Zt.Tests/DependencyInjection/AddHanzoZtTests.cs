using Hanzo.Zt.Billing;
using Hanzo.Zt.Configuration;
using Hanzo.Zt.Credentials;
using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Tests.DependencyInjection;

public class AddHanzoZtTests
{
    private static HostApplicationBuilder HostWith(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Fact]
    public void Options_bind_from_the_HanzoZt_section()
    {
        var builder = HostWith(new()
        {
            ["HanzoZt:ControllerUrl"] = "https://ctrl.example:1280",
            ["HanzoZt:ConnectTimeout"] = "00:00:05",
            ["HanzoZt:Billing:Enabled"] = "false",
        });
        builder.Services.AddHanzoZt();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<ZtOptions>>().Value;

        options.ControllerUrl.ShouldBe("https://ctrl.example:1280");
        options.ConnectTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        options.RequestTimeout.ShouldBe(TimeSpan.FromSeconds(15));
        options.Billing.Enabled.ShouldBeFalse();
    }

    [Fact]
    public void Configure_delegate_runs_after_binding()
    {
        var builder = HostWith(new() { ["HanzoZt:ControllerUrl"] = "https://from-config" });
        builder.Services.AddHanzoZt(o => o.ControllerUrl = "https://from-code");
        using var host = builder.Build();

        host.Services.GetRequiredService<IOptions<ZtOptions>>().Value.ControllerUrl.ShouldBe("https://from-code");
    }

    [Fact]
    public async Task Invalid_options_fail_the_host_at_start_naming_each_problem()
    {
        var builder = HostWith(new()
        {
            ["HanzoZt:ControllerUrl"] = "not-a-url",
            ["HanzoZt:RequestTimeout"] = "-00:00:01",
            ["HanzoZt:Billing:Currency"] = "USD",
        });
        builder.Services.AddHanzoZt();
        using var host = builder.Build();

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Message.ShouldContain("HanzoZt:ControllerUrl 'not-a-url' is not an absolute http(s) URL");
        error.Message.ShouldContain("HanzoZt:RequestTimeout must be positive");
        error.Message.ShouldContain("HanzoZt:Billing:Currency must be a lower case ISO 4217 code");
    }

    [Fact]
    public async Task Api_key_from_options_becomes_the_credential_source()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt(o => o.ApiKey = "sk-from-options-12345");
        await using var provider = services.BuildServiceProvider();

        var credentials = await provider.GetRequiredService<ICredentialSource>().GetCredentialsAsync();

        credentials.Secret.ShouldBe("sk-from-options-12345");
        credentials.Source.ShouldBe("HanzoZt:ApiKey");
    }

    [Fact]
    public void Without_an_api_key_credentials_resolve_as_the_Hanzo_SDKs_do()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ICredentialSource>().ShouldBeOfType<HanzoCredentialResolver>();
    }

    [Fact]
    public void Defaults_can_be_replaced_by_registering_first()
    {
        var services = new ServiceCollection();
        var mine = new InMemoryCredentialSource(new ZtCredentials(ZtCredentialKind.Token, "t-12345", "test"));
        services.AddSingleton<ICredentialSource>(mine);
        services.AddHanzoZt();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ICredentialSource>().ShouldBeSameAs(mine);
    }

    [Fact]
    public void AddBilling_replaces_the_previous_provider()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt().AddBilling<ZeroBalanceProvider>().AddBilling<RichProvider>();
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IBillingProvider>().Single().ShouldBeOfType<RichProvider>();
    }

    [Fact]
    public void AddTransport_makes_the_transport_selectable_by_scheme()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt().AddTransport<RecordingTransport>();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IZtTransportSelector>().Select(new Uri("mem://peer")).ShouldBeOfType<RecordingTransport>();
    }

    private sealed class ZeroBalanceProvider : IBillingProvider
    {
        public ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new BalanceResult(account, currency, 0, 0, 0));

        public ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class RichProvider : IBillingProvider
    {
        public ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new BalanceResult(account, currency, 100, 0, 100));

        public ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
