using Hanzo.Zt;
using Hanzo.Zt.Billing;
using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ZtPlugin1.Tests;

/// <summary>The plugin behind the SDK's balance gate, as a host that registered it would use it.</summary>
public sealed class AllowanceBillingProviderTests
{
    [Fact]
    public async Task Dials_are_allowed_until_the_allowance_is_spent()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt(o =>
            {
                o.Billing.BalanceCacheDuration = TimeSpan.Zero;
                o.Billing.OutboxPath = Path.Combine(Path.GetTempPath(), $"zt-plugin-outbox-{Guid.NewGuid():N}.db");
            })
            .AddBilling<AllowanceBillingProvider>()
            .AddUsageMetering();
        await using var provider = services.BuildServiceProvider();
        var gate = provider.GetRequiredService<BillingGate>();
        var billing = provider.GetRequiredService<IBillingProvider>();

        await gate.EnsureAllowedAsync("acme/web");
        await billing.RecordUsageAsync(new UsageRecord
        {
            RequestId = "r1",
            Account = "acme/web",
            Service = "db",
            SessionId = "s1",
            Identity = "web",
            AmountMicros = AllowanceBillingProvider.AllowanceCents * 10_000,
        });

        await Assert.ThrowsAsync<ZtInsufficientBalanceException>(() => gate.EnsureAllowedAsync("acme/web").AsTask());
    }
}
