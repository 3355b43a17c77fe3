using Hanzo.Zt.Controller.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Controller.Hosting;

/// <summary>
/// Deletes what can no longer matter: expired API sessions, sessions and enrollment tokens, and revocations
/// whose subject has expired anyway. Runs every <see cref="ControllerOptions.PurgeInterval"/>.
/// </summary>
internal sealed partial class ExpiredStatePurger(ControllerState state, ILogger<ExpiredStatePurger> logger) : BackgroundService
{
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = state.Now;
        var store = state.Store;
        var purged = 0;
        // Through the lifecycle, so the certificates an expired API session obtained are revoked with it.
        purged += await Api.SessionLifecycle.EndApiSessionsAsync(state, s => s.ExpiresAt <= now, cancellationToken);
        purged += await PurgeAsync(store.Sessions, s => s.ExpiresAt <= now, cancellationToken);
        purged += await PurgeAsync(store.Enrollments, e => e.ExpiresAt <= now, cancellationToken);
        purged += await PurgeAsync(store.Revocations, r => r.ExpiresAt is { } expires && expires <= now, cancellationToken);
        return purged;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(state.Options.PurgeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var purged = await PurgeAsync(stoppingToken);
                    if (purged > 0) LogPurged(purged);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task<int> PurgeAsync<T>(IEntityRepository<T> repository, Func<T, bool> expired, CancellationToken cancellationToken)
        where T : StoredEntity
    {
        var count = 0;
        foreach (var entity in (await repository.ListAsync(cancellationToken)).Where(expired))
        {
            if (await repository.DeleteAsync(entity.Id, cancellationToken)) count++;
        }
        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "purged {Count} expired API sessions, sessions, enrollments and revocations")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "purging expired state failed; will retry")]
    private partial void LogFailed(Exception exception);
}
