using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Hanzo.Zt.Billing;

// Folding metered records into whole-cent deliveries, with the sub-cent remainder carried per account.
public sealed partial class UsageOutbox
{
    // Folds unsealed records into whole-cent deliveries plus carried remainders, in one transaction.
    private void SealLocked()
    {
        using var transaction = _db.BeginTransaction();
        var groups = new Dictionary<(string Account, string Currency, string Service), List<SealedRow>>();
        var order = new List<(string Account, string Currency, string Service)>();
        using (var select = Command($"""
            SELECT id, request_id, account, currency, service, session_id, identity, bytes_sent, bytes_received, duration_ticks, calls,
                   amount_micros, started_at, client_ip
            FROM usage_records WHERE sealed = 0 ORDER BY id LIMIT {MaxSealBatch}
            """, transaction))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetString(2), reader.GetString(3), reader.GetString(4));
                if (!groups.TryGetValue(key, out var rows))
                {
                    groups[key] = rows = [];
                    order.Add(key);
                }
                rows.Add(new SealedRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(5), reader.GetString(6), reader.GetInt64(7),
                    reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetString(12),
                    reader.IsDBNull(13) ? null : reader.GetString(13)));
            }
        }
        if (order.Count == 0) return;

        using var getCarry = Command("SELECT micros FROM carries WHERE account = $a AND currency = $c AND service = $s", transaction);
        using var setCarry = Command("""
            INSERT INTO carries (account, currency, service, micros) VALUES ($a, $c, $s, $m)
            ON CONFLICT (account, currency, service) DO UPDATE SET micros = excluded.micros
            """, transaction);
        using var markRow = Command("UPDATE usage_records SET sealed = 1, delivery_id = $d WHERE id = $id", transaction);
        var now = NowMs();
        var created = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

        foreach (var key in order)
        {
            var rows = groups[key];
            getCarry.Parameters.Clear();
            getCarry.Parameters.AddWithValue("$a", key.Account);
            getCarry.Parameters.AddWithValue("$c", key.Currency);
            getCarry.Parameters.AddWithValue("$s", key.Service);
            var total = getCarry.ExecuteScalar() is long carried ? carried : 0L;
            foreach (var row in rows) total = checked(total + row.Micros);

            var cents = total / MicrosPerCent;
            object deliveryId = DBNull.Value;
            if (cents > 0) deliveryId = InsertDelivery(transaction, key, rows, cents, now, created);

            foreach (var row in rows)
            {
                markRow.Parameters.Clear();
                markRow.Parameters.AddWithValue("$d", deliveryId);
                markRow.Parameters.AddWithValue("$id", row.Id);
                markRow.ExecuteNonQuery();
            }
            setCarry.Parameters.Clear();
            setCarry.Parameters.AddWithValue("$a", key.Account);
            setCarry.Parameters.AddWithValue("$c", key.Currency);
            setCarry.Parameters.AddWithValue("$s", key.Service);
            setCarry.Parameters.AddWithValue("$m", total % MicrosPerCent);
            setCarry.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private long InsertDelivery(SqliteTransaction transaction, (string Account, string Currency, string Service) key, List<SealedRow> rows, long cents, long now, string created)
    {
        using var insert = Command("""
            INSERT INTO deliveries
              (request_id, account, currency, service, cents, record_count, session_id, identity, bytes_sent, bytes_received,
               duration_ticks, calls, started_at, client_ip, state, attempts, next_attempt_at, created_at)
            VALUES ($rid, $a, $c, $s, $cents, $n, $session, $identity, $sent, $received, $ticks, $calls, $started, $ip, 'pending', 0, $now, $created);
            SELECT last_insert_rowid();
            """, transaction);
        insert.Parameters.AddWithValue("$rid", DeliveryRequestId(key, rows));
        insert.Parameters.AddWithValue("$a", key.Account);
        insert.Parameters.AddWithValue("$c", key.Currency);
        insert.Parameters.AddWithValue("$s", key.Service);
        insert.Parameters.AddWithValue("$cents", cents);
        insert.Parameters.AddWithValue("$n", rows.Count);
        insert.Parameters.AddWithValue("$session", Uniform(rows, r => r.SessionId) ?? $"{rows.Count} sessions");
        insert.Parameters.AddWithValue("$identity", Uniform(rows, r => r.Identity) ?? $"{rows.Select(r => r.Identity).Distinct().Count()} identities");
        insert.Parameters.AddWithValue("$sent", rows.Sum(r => r.BytesSent));
        insert.Parameters.AddWithValue("$received", rows.Sum(r => r.BytesReceived));
        insert.Parameters.AddWithValue("$ticks", rows.Sum(r => r.DurationTicks));
        insert.Parameters.AddWithValue("$calls", rows.Sum(r => r.Calls));
        insert.Parameters.AddWithValue("$started", rows[0].StartedAt);
        insert.Parameters.AddWithValue("$ip", Uniform(rows, r => r.ClientIp ?? "") is { Length: > 0 } ip ? ip : DBNull.Value);
        insert.Parameters.AddWithValue("$now", now);
        insert.Parameters.AddWithValue("$created", created);
        return (long)insert.ExecuteScalar()!;
    }

    // Derived from what the delivery sums, so it is the same however often it is posted.
    private static string DeliveryRequestId((string Account, string Currency, string Service) key, List<SealedRow> rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string value)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(value));
            hash.AppendData([0]);
        }
        Add(key.Account);
        Add(key.Currency);
        Add(key.Service);
        foreach (var row in rows) Add(row.RequestId);
        return "zt-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..40];
    }

    private static string? Uniform(List<SealedRow> rows, Func<SealedRow, string> select)
    {
        var first = select(rows[0]);
        return rows.All(r => select(r) == first) ? first : null;
    }

    private sealed record SealedRow(long Id, string RequestId, string SessionId, string Identity, long BytesSent, long BytesReceived,
        long DurationTicks, long Calls, long Micros, string StartedAt, string? ClientIp);
}
