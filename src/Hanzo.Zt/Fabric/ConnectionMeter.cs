using System.Collections.Concurrent;
using Hanzo.Zt.Billing;
using Hanzo.Zt.Events;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// Keeps the connections an identity dialed and records each one's usage (bytes each way, duration, calls) into
/// the durable outbox as it closes, under the billing account and the identity's name and id from the controller.
/// <see cref="CloseAllAsync"/> closes what is still open, so a graceful shutdown loses no usage.
/// </summary>
internal sealed partial class ConnectionMeter(UsageMeter? meter, Action<ZtEvent> raise, ILogger logger)
{
    private readonly ConcurrentDictionary<ZtConnection, Dialed> _open = new();

    /// <summary>Who is charged and who dialed, for one connection.</summary>
    internal sealed record Dialed(string Account, string IdentityName, string IdentityId);

    public void Track(ZtConnection connection, Dialed dialed) => _open[connection] = dialed;

    public int OpenCount => _open.Count;

    public async ValueTask RecordAsync(ZtConnection connection)
    {
        if (!_open.TryRemove(connection, out var dialed))
        {
            return;
        }

        raise(new SessionClosedEvent(DateTimeOffset.UtcNow, connection.SessionId, connection.Service, "closed"));
        if (meter is null)
        {
            return;
        }

        // One record per connection: the session id is shared by every dial of a cached session.
        string connectionId = connection.SessionId + "/" + Guid.NewGuid().ToString("N");
        try
        {
            await meter.RecordAsync(new UsageRecord
            {
                RequestId = UsageMeter.RequestIdFor(connectionId),
                Account = dialed.Account,
                Service = connection.Service,
                SessionId = connectionId,
                Identity = $"{dialed.IdentityName} ({dialed.IdentityId})",
                BytesSent = connection.BytesSent,
                BytesReceived = connection.BytesReceived,
                Duration = connection.Duration,
                Calls = connection.Calls,
                StartedAt = connection.StartedAt,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ZtException or ObjectDisposedException)
        {
            LogNotRecorded(logger, connection.Service, connection.BytesSent, connection.BytesReceived, connection.Calls, e.Message);
            throw;
        }
    }

    /// <summary>Closes every connection still open, recording each one's usage.</summary>
    public async Task CloseAllAsync()
    {
        foreach (var connection in _open.Keys)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage of a connection to '{Service}' could not be recorded ({Sent} bytes sent, {Received} received, {Calls} calls): {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string service, long sent, long received, long calls, string reason);
}
