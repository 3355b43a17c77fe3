using Hanzo.Zt.Billing.Commerce;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hanzo.Zt.AspNetCore.Tests;

/// <summary>The zt-controller, zt-router and zt-billing health checks against a live test network, then a stopped one.</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly string _outbox = Directory.CreateTempSubdirectory("hanzo-zt-health-").FullName;
    private ZtTestNetwork _network = null!;
    private ZtTestService _service = null!;
    private ZtContext _host = null!;
    private ZtListener _listener = null!;

    public async Task InitializeAsync()
    {
        _network = await ZtTestNetwork.StartAsync();
        _service = await _network.CreateServiceAsync("health");
        _host = ZtContext.FromIdentityFile(_service.Host.IdentityFile);
        _listener = await _host.ListenAsync(_service.Name);
        _ = AcceptAndCloseAsync();
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _host.DisposeAsync();
        await _network.DisposeAsync();
        Directory.Delete(_outbox, recursive: true);
    }

    [Fact]
    public async Task Every_check_is_healthy_for_a_funded_account_after_a_dial()
    {
        await _network.FundAsync("acme/health", 500);
        await using var client = Client("acme/health");
        await (await client.GetRequiredService<ZtContext>().DialAsync(_service.Name).WaitAsync(Guard)).DisposeAsync();

        var report = await client.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Guard);

        report.Entries["zt-controller"].Status.ShouldBe(HealthStatus.Healthy, report.Entries["zt-controller"].Description);
        report.Entries["zt-router"].Status.ShouldBe(HealthStatus.Healthy, report.Entries["zt-router"].Description);
        report.Entries["zt-router"].Description.ShouldNotBeNull().ShouldContain("1 router link(s) up");
        report.Entries["zt-billing"].Status.ShouldBe(HealthStatus.Healthy, report.Entries["zt-billing"].Description);
        report.Entries["zt-billing"].Data["available"].ShouldBe(500L);
    }

    [Fact]
    public async Task Billing_is_degraded_for_an_account_without_funds()
    {
        await using var client = Client("broke/health");

        var report = await client.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Guard);

        report.Entries["zt-billing"].Status.ShouldBe(HealthStatus.Degraded);
        report.Entries["zt-billing"].Description.ShouldNotBeNull().ShouldContain("broke/health");
    }

    [Fact]
    public async Task Router_and_controller_checks_are_unhealthy_once_the_fabric_is_gone()
    {
        await _network.FundAsync("acme/gone", 500);
        await using var client = Client("acme/gone");
        var context = client.GetRequiredService<ZtContext>();
        await (await context.DialAsync(_service.Name).WaitAsync(Guard)).DisposeAsync();

        await _network.Router.DisposeAsync();
        await Should.ThrowAsync<ZtException>(context.DialAsync(_service.Name).WaitAsync(Guard));
        await _network.Controller.DisposeAsync();
        var report = await client.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Guard);

        report.Entries["zt-controller"].Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries["zt-router"].Status.ShouldBe(HealthStatus.Unhealthy, report.Entries["zt-router"].Description);
    }

    private ServiceProvider Client(string account)
    {
        var services = new ServiceCollection();
        services.AddHanzoZt(o =>
            {
                o.IdentityFile = _service.Client.IdentityFile;
                o.Billing.Account = account;
                o.Billing.OutboxPath = Path.Combine(_outbox, account.Replace('/', '-') + ".db");
            })
            .AddCommerceBilling(o =>
            {
                o.BaseUrl = _network.LedgerUrl.ToString();
                o.ServiceToken = _network.LedgerToken;
            });
        services.AddHealthChecks().AddHanzoZt();
        return services.BuildServiceProvider();
    }

    private async Task AcceptAndCloseAsync()
    {
        try
        {
            while (true)
            {
                await (await _listener.AcceptAsync()).DisposeAsync();
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
