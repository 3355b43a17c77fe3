using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing;

/// <summary>
/// Delivers the <see cref="UsageOutbox"/> to the billing provider in the background: right after usage is
/// enqueued, and every <see cref="ZtBillingOptions.DeliveryInterval"/> for retries that come due.
/// </summary>
public sealed partial class UsageDeliveryService(IServiceProvider services, IOptions<ZtBillingOptions> options, ILogger<UsageDeliveryService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var billing = options.Value;
        if (!billing.Enabled) return;
        var provider = services.GetService<IBillingProvider>();
        if (provider is null)
        {
            LogNoProvider(logger);
            return;
        }
        var outbox = services.GetRequiredService<UsageOutbox>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var report = await outbox.DeliverAsync(provider, stoppingToken).ConfigureAwait(false);
                if (report.Retrying > 0 || report.Poisoned > 0)
                    LogFailures(logger, report.Delivered, report.Retrying, report.Poisoned, outbox.Path);
                else if (report.Delivered > 0)
                    LogDelivered(logger, report.Delivered);
                await outbox.WaitForWorkAsync(billing.DeliveryInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogPassFailed(logger, e, outbox.Path);
                await Task.Delay(billing.DeliveryInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing is on but no IBillingProvider is registered; usage stays in the outbox until one is")]
    private static partial void LogNoProvider(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage delivery: {Delivered} delivered, {Retrying} to retry, {Poisoned} refused for good (kept in '{Path}')")]
    private static partial void LogFailures(ILogger logger, int delivered, int retrying, int poisoned, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage delivery: {Delivered} delivered to the billing provider")]
    private static partial void LogDelivered(ILogger logger, int delivered);

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage delivery pass over '{Path}' failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string path);
}
