using System.Globalization;

namespace Hanzo.Zt.Billing;

// Group commit: concurrent enqueues are written by one loop, many records to a transaction.
public sealed partial class UsageOutbox
{
    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        var batch = new List<PendingWrite>(MaxWriteBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxWriteBatch && reader.TryRead(out var write)) batch.Add(write);
            try
            {
                await _lock.WaitAsync().ConfigureAwait(false);
                try
                {
                    InsertLocked(batch);
                }
                finally
                {
                    _lock.Release();
                }
                foreach (var write in batch) write.Done.TrySetResult();
                _work.Writer.TryWrite(true);
            }
            catch (Exception e)
            {
                var error = new ZtBillingException($"usage could not be written to the outbox '{Path}': {e.Message}", e);
                foreach (var write in batch) write.Done.TrySetException(error);
            }
        }
    }

    private void InsertLocked(List<PendingWrite> batch)
    {
        using var transaction = _db.BeginTransaction();
        using var insert = Command("""
            INSERT OR IGNORE INTO usage_records
              (request_id, account, currency, service, session_id, identity, bytes_sent, bytes_received, duration_ticks, calls,
               amount_micros, started_at, client_ip, status, enqueued_at)
            VALUES ($rid, $account, $currency, $service, $session, $identity, $sent, $received, $ticks, $calls,
               $micros, $started, $ip, $status, $now)
            """, transaction);
        var now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        foreach (var (usage, _) in batch)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$rid", usage.RequestId);
            insert.Parameters.AddWithValue("$account", usage.Account);
            insert.Parameters.AddWithValue("$currency", usage.Currency.ToLowerInvariant());
            insert.Parameters.AddWithValue("$service", usage.Service);
            insert.Parameters.AddWithValue("$session", usage.SessionId ?? "");
            insert.Parameters.AddWithValue("$identity", usage.Identity ?? "");
            insert.Parameters.AddWithValue("$sent", usage.BytesSent);
            insert.Parameters.AddWithValue("$received", usage.BytesReceived);
            insert.Parameters.AddWithValue("$ticks", usage.Duration.Ticks);
            insert.Parameters.AddWithValue("$calls", usage.Calls);
            insert.Parameters.AddWithValue("$micros", usage.AmountMicros);
            insert.Parameters.AddWithValue("$started", usage.StartedAt.ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$ip", (object?)usage.ClientIp ?? DBNull.Value);
            insert.Parameters.AddWithValue("$status", usage.Status ?? "success");
            insert.Parameters.AddWithValue("$now", now);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private readonly record struct PendingWrite(UsageRecord Usage, TaskCompletionSource Done);
}
