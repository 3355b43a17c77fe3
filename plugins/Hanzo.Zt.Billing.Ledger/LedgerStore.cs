using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Hanzo.Zt.Billing.Ledger;

/// <summary>
/// An embedded ledger: an append-only journal in one SQLite file under a data directory. Balances are the sum of
/// the journal, every write runs in a transaction, and usage is idempotent on its request id. Safe to call
/// concurrently; calls are serialised over one connection.
/// </summary>
public sealed class LedgerStore : IAsyncDisposable
{
    /// <summary>The name of the database file inside the data directory.</summary>
    public const string FileName = "ledger.db";

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        CREATE TABLE IF NOT EXISTS journal (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            transaction_id TEXT    NOT NULL UNIQUE,
            org            TEXT    NOT NULL,
            user           TEXT    NOT NULL,
            currency       TEXT    NOT NULL,
            amount         INTEGER NOT NULL,
            type           TEXT    NOT NULL CHECK (type IN ('deposit', 'usage')),
            request_id     TEXT    UNIQUE,
            provider       TEXT,
            model          TEXT,
            status         TEXT,
            client_ip      TEXT,
            notes          TEXT,
            created_at     TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS journal_org_currency ON journal (org, currency);
        CREATE INDEX IF NOT EXISTS journal_user_currency ON journal (user, currency, type);
        CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        """;

    private const string EntryColumns = "transaction_id, org, user, currency, amount, type, notes, created_at";

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private LedgerStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        DatabasePath = path;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens (creating when needed) the ledger in <paramref name="dataDirectory"/>.</summary>
    public static async Task<LedgerStore> OpenAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = Schema;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new LedgerStore(connection, path);
    }

    /// <summary>Adds <paramref name="amount"/> cents to <paramref name="org"/>'s wallet, attributed to <paramref name="user"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is not positive.</exception>
    public async Task<LedgerEntry> DepositAsync(
        string org, string user, long amount, string currency = "usd", string? notes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(org);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        currency = NormalizeCurrency(currency);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = NewEntry(org, user, currency, amount, LedgerEntryType.Deposit, notes);
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await InsertAsync(transaction, entry, requestId: null, usage: null, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Charges usage to its org's wallet. Idempotent on <see cref="LedgerUsage.RequestId"/>: a replay charges nothing
    /// and returns the entry stored the first time, with <see cref="UsageRecordingResult.IsReplay"/> set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is not positive.</exception>
    public async Task<UsageRecordingResult> RecordUsageAsync(LedgerUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.RequestId);
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.Org);
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.User);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(usage.Amount);
        var currency = NormalizeCurrency(usage.Currency);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            await using (var find = _connection.CreateCommand())
            {
                find.Transaction = transaction;
                find.CommandText = $"SELECT {EntryColumns} FROM journal WHERE request_id = $request_id";
                find.Parameters.AddWithValue("$request_id", usage.RequestId);
                await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    return new UsageRecordingResult(ReadEntry(reader), IsReplay: true);
            }

            var entry = NewEntry(usage.Org, usage.User, currency, usage.Amount, LedgerEntryType.Usage, usage.Notes);
            await InsertAsync(transaction, entry, usage.RequestId, usage, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new UsageRecordingResult(entry, IsReplay: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The balance of <paramref name="org"/>'s wallet in <paramref name="currency"/>: the sum of its journal.
    /// <paramref name="user"/> only names who asked; wallets belong to the org.
    /// </summary>
    public async Task<LedgerBalance> GetBalanceAsync(string org, string? user = null, string currency = "usd", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(org);
        currency = NormalizeCurrency(currency);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(SUM(amount), 0) FROM journal WHERE org = $org AND currency = $currency";
            command.Parameters.AddWithValue("$org", org);
            command.Parameters.AddWithValue("$currency", currency);
            var sum = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return new LedgerBalance(org, user ?? org, currency, sum);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The usage attributed to <paramref name="user"/> in <paramref name="currency"/>, oldest first.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ListUsageAsync(string user, string currency = "usd", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        currency = NormalizeCurrency(currency);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var command = _connection.CreateCommand();
            command.CommandText =
                $"SELECT {EntryColumns} FROM journal WHERE user = $user AND currency = $currency AND type = 'usage' ORDER BY id";
            command.Parameters.AddWithValue("$user", user);
            command.Parameters.AddWithValue("$currency", currency);
            var entries = new List<LedgerEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                entries.Add(ReadEntry(reader));
            return entries;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the database file. Calls already waiting finish first.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string NormalizeCurrency(string currency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        return currency.Trim().ToLowerInvariant();
    }

    private static LedgerEntry NewEntry(string org, string user, string currency, long amount, LedgerEntryType type, string? notes) =>
        new("txn_" + Guid.CreateVersion7().ToString("N"), org, user, currency, amount, type, notes, DateTimeOffset.UtcNow);

    private async Task InsertAsync(
        SqliteTransaction transaction, LedgerEntry entry, string? requestId, LedgerUsage? usage, CancellationToken cancellationToken)
    {
        await using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO journal (transaction_id, org, user, currency, amount, type, request_id, provider, model, status, client_ip, notes, created_at)
            VALUES ($transaction_id, $org, $user, $currency, $amount, $type, $request_id, $provider, $model, $status, $client_ip, $notes, $created_at)
            """;
        var signed = entry.Type == LedgerEntryType.Usage ? -entry.Amount : entry.Amount;
        insert.Parameters.AddWithValue("$transaction_id", entry.TransactionId);
        insert.Parameters.AddWithValue("$org", entry.Org);
        insert.Parameters.AddWithValue("$user", entry.User);
        insert.Parameters.AddWithValue("$currency", entry.Currency);
        insert.Parameters.AddWithValue("$amount", signed);
        insert.Parameters.AddWithValue("$type", entry.Type == LedgerEntryType.Usage ? "usage" : "deposit");
        insert.Parameters.AddWithValue("$request_id", (object?)requestId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$provider", (object?)usage?.Provider ?? DBNull.Value);
        insert.Parameters.AddWithValue("$model", (object?)usage?.Model ?? DBNull.Value);
        insert.Parameters.AddWithValue("$status", (object?)usage?.Status ?? DBNull.Value);
        insert.Parameters.AddWithValue("$client_ip", (object?)usage?.ClientIp ?? DBNull.Value);
        insert.Parameters.AddWithValue("$notes", (object?)entry.Notes ?? DBNull.Value);
        insert.Parameters.AddWithValue("$created_at", entry.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static LedgerEntry ReadEntry(SqliteDataReader reader)
    {
        var type = reader.GetString(5) == "usage" ? LedgerEntryType.Usage : LedgerEntryType.Deposit;
        return new LedgerEntry(
            TransactionId: reader.GetString(0),
            Org: reader.GetString(1),
            User: reader.GetString(2),
            Currency: reader.GetString(3),
            Amount: Math.Abs(reader.GetInt64(4)),
            Type: type,
            Notes: reader.IsDBNull(6) ? null : reader.GetString(6),
            CreatedAt: DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }
}
