namespace Hanzo.Zt.Billing;

/// <summary>The outbox's tables: usage as metered, per-account carries, and the whole-cent deliveries made from them.</summary>
internal static class OutboxSchema
{
    public const string Create = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS usage_records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request_id TEXT NOT NULL UNIQUE,
            account TEXT NOT NULL,
            currency TEXT NOT NULL,
            service TEXT NOT NULL,
            session_id TEXT NOT NULL,
            identity TEXT NOT NULL,
            bytes_sent INTEGER NOT NULL,
            bytes_received INTEGER NOT NULL,
            duration_ticks INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            amount_micros INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            client_ip TEXT,
            status TEXT NOT NULL,
            enqueued_at TEXT NOT NULL,
            sealed INTEGER NOT NULL DEFAULT 0,
            delivery_id INTEGER
        );
        CREATE INDEX IF NOT EXISTS usage_records_unsealed ON usage_records (id) WHERE sealed = 0;
        CREATE TABLE IF NOT EXISTS carries (
            account TEXT NOT NULL,
            currency TEXT NOT NULL,
            service TEXT NOT NULL,
            micros INTEGER NOT NULL,
            PRIMARY KEY (account, currency, service)
        );
        CREATE TABLE IF NOT EXISTS deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request_id TEXT NOT NULL UNIQUE,
            account TEXT NOT NULL,
            currency TEXT NOT NULL,
            service TEXT NOT NULL,
            cents INTEGER NOT NULL,
            record_count INTEGER NOT NULL,
            session_id TEXT NOT NULL,
            identity TEXT NOT NULL,
            bytes_sent INTEGER NOT NULL,
            bytes_received INTEGER NOT NULL,
            duration_ticks INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            client_ip TEXT,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            delivered_at TEXT
        );
        CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
        """;
}
