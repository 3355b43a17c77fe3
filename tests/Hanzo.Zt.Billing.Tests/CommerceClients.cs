using Hanzo.Zt.Billing.Commerce;
using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.Billing.Tests;

/// <summary>Builds a <see cref="CommerceBillingProvider"/> the way an application does, through <c>AddCommerceBilling()</c>.</summary>
public static class CommerceClients
{
    public static (ServiceProvider Services, IBillingProvider Provider) Create(Uri baseUrl, string token = "svc-token", Action<CommerceBillingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddHanzoZt(o => o.Billing.OutboxPath = Path.Combine(Path.GetTempPath(), $"zt-outbox-{Guid.NewGuid():N}.db"))
            .AddCommerceBilling(o =>
            {
                o.BaseUrl = baseUrl.ToString();
                o.ServiceToken = token;
                o.RetryDelay = TimeSpan.FromMilliseconds(10);
                o.AttemptTimeout = TimeSpan.FromSeconds(5);
                configure?.Invoke(o);
            });
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IBillingProvider>());
    }
}
