using Hanzo.Zt.Billing;
using Hanzo.Zt.Configuration;
using Hanzo.Zt.Fabric;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// The fabric's place in the host's lifetime. At start: a fabric with billing on and no billing provider stops
/// the host with a message saying what to add. At stop (SIGTERM included): the connections still open are closed,
/// which records their usage durably, and one delivery pass sends what it can before the process ends (what it
/// cannot stays in the outbox for the next start).
/// </summary>
internal sealed partial class ZtFabricLifetime(ZtContextHolder holder, IServiceProvider services, IOptions<ZtOptions> options, ILogger<ZtFabricLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (ZtFabric.IsConfigured(o) && o.Billing.Enabled && services.GetService<IBillingProvider>() is null)
        {
            throw new ZtConfigurationException(ZtFabric.NoProviderMessage);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (holder.Created is not { } context)
        {
            return;
        }

        await context.CloseConnectionsAsync().ConfigureAwait(false);
        if (!options.Value.Billing.Enabled || services.GetService<IBillingProvider>() is not { } provider)
        {
            return;
        }

        try
        {
            var report = await services.GetRequiredService<UsageOutbox>().DeliverAsync(provider, cancellationToken).ConfigureAwait(false);
            LogDelivered(logger, report.Delivered, report.Retrying);
        }
        catch (OperationCanceledException)
        {
            // Out of time: the outbox keeps the rest for the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage at shutdown: {Delivered} deliveries accepted, {Retrying} kept in the outbox for the next start")]
    private static partial void LogDelivered(ILogger logger, int delivered, int retrying);
}

/// <summary>Makes the <see cref="ZtContext"/> singleton on first use, and says whether it was made.</summary>
internal sealed class ZtContextHolder(IServiceProvider services) : IAsyncDisposable
{
    private readonly Lazy<ZtContext> _context = new(() => ZtFabric.CreateContext(services));

    public ZtContext Context => _context.Value;

    public ZtContext? Created => _context.IsValueCreated ? _context.Value : null;

    public async ValueTask DisposeAsync()
    {
        if (Created is { } context)
        {
            await context.DisposeAsync().ConfigureAwait(false);
        }
    }
}
