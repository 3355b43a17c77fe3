using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing;

/// <summary>
/// The durable usage outbox: a SQLite file where every metered session is committed (synchronously to disk)
/// before <see cref="EnqueueAsync"/> returns, and from which usage is delivered to the billing provider.
/// </summary>
/// <remarks>
/// Providers charge whole cents (1 cent = 10,000 micros). A delivery pass folds new records into one
/// delivery per account, currency and service: the account's carried micros plus the new ones, posted as
/// whole cents, with the sub-cent remainder carried to the next pass in the same transaction, so nothing is
/// rounded away. A delivery's request id is derived from the records it sums and stored with it, so every
/// retry of it is the same idempotent request. Failures are retried with exponential backoff whose schedule
/// is persisted; permanent refusals (4xx) are kept aside with the reason (<see cref="ListPoisonedAsync"/>).
/// Concurrent enqueues share one commit.
/// </remarks>
public sealed partial class UsageOutbox : IAsyncDisposable
{
    /// <summary>Micros in one cent.</summary>
    public const long MicrosPerCent = 10_000;

    private const int MaxWriteBatch = 512;
    private const int MaxSealBatch = 20_000;
    private const int MaxDeliveryBatch = 256;

    private readonly SqliteConnection _db;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly SemaphoreSlim _delivering = new(1, 1);
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly Channel<bool> _work = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _writer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryBase;
    private readonly TimeSpan _retryMax;
    private int _disposed;

    /// <summary>Opens (creating when missing) the outbox file at <paramref name="path"/>.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="time">The clock for retry schedules; the system clock when null.</param>
    /// <param name="retryBaseDelay">The first retry delay (default 1 s), doubled on each further failure.</param>
    /// <param name="retryMaxDelay">The longest retry delay (default 5 min).</param>
    public UsageOutbox(string path, TimeProvider? time = null, TimeSpan? retryBaseDelay = null, TimeSpan? retryMaxDelay = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
        _retryBase = retryBaseDelay ?? TimeSpan.FromSeconds(1);
        _retryMax = retryMaxDelay ?? TimeSpan.FromMinutes(5);

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        try
        {
            _db.Open();
            Execute("PRAGMA busy_timeout = 10000;");
            Execute(OutboxSchema.Create);
            Execute("PRAGMA synchronous = FULL;");
        }
        catch (SqliteException e)
        {
            _db.Dispose();
            throw new ZtBillingException($"the usage outbox '{Path}' could not be opened: {e.Message}", e);
        }
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Opens the outbox named by <see cref="ZtBillingOptions.OutboxPath"/> (or its default).</summary>
    public UsageOutbox(IOptions<ZtBillingOptions> options, TimeProvider time)
        : this(ResolvePath(options.Value.OutboxPath), time, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay)
    {
    }

    /// <summary>The full path of the outbox file.</summary>
    public string Path { get; }

    /// <summary>
    /// The outbox file of <paramref name="application"/> billing through <paramref name="provider"/> when
    /// <see cref="ZtBillingOptions.OutboxPath"/> is not set: one file per application and provider, so a record
    /// written for one ledger is never delivered to another.
    /// </summary>
    public static string DefaultPathFor(string application, string provider) => System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "hanzo", "zt", SafeName(application), SafeName(provider), "usage-outbox.db");

    private static string SafeName(string name)
    {
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]).Trim('.');
        return safe.Length == 0 ? "_" : safe;
    }

    /// <summary>
    /// Writes <paramref name="usage"/> durably; when this completes the record survives a crash and will be
    /// delivered. Enqueuing a record whose <see cref="UsageRecord.RequestId"/> is already present does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The record has no request id, account or service, or a negative quantity.</exception>
    /// <exception cref="ZtBillingException">The outbox file could not be written.</exception>
    public Task EnqueueAsync(UsageRecord usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.RequestId, nameof(usage));
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.Account, nameof(usage));
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.Service, nameof(usage));
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.Currency, nameof(usage));
        if (usage.AmountMicros < 0 || usage.BytesSent < 0 || usage.BytesReceived < 0 || usage.Calls < 0 || usage.Duration < TimeSpan.Zero)
            throw new ArgumentException($"usage record '{usage.RequestId}' has a negative quantity", nameof(usage));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var write = new PendingWrite(usage, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_writes.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(UsageOutbox));
        return write.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Folds new records into deliveries and delivers every due one to <paramref name="provider"/>, until
    /// nothing is due. Never throws for a provider failure: it is recorded and retried later. Passes do
    /// not overlap: a second caller waits for the first.
    /// </summary>
    public async Task<UsageDeliveryReport> DeliverAsync(IBillingProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        await _delivering.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DeliverDueAsync(provider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _delivering.Release();
        }
    }

    private async Task<UsageDeliveryReport> DeliverDueAsync(IBillingProvider provider, CancellationToken cancellationToken)
    {
        int delivered = 0, retrying = 0, poisoned = 0;
        while (true)
        {
            List<Delivery> due;
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                SealLocked();
                due = ReadDueLocked();
            }
            finally
            {
                _lock.Release();
            }
            if (due.Count == 0) break;

            var failedBefore = retrying + poisoned;
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (delivery, token) =>
            {
                var (state, error) = await PostAsync(provider, delivery, token).ConfigureAwait(false);
                await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    MarkLocked(delivery, state, error);
                }
                finally
                {
                    _lock.Release();
                }
                switch (state)
                {
                    case DeliveryState.Delivered: Interlocked.Increment(ref delivered); break;
                    case DeliveryState.Poisoned: Interlocked.Increment(ref poisoned); break;
                    default: Interlocked.Increment(ref retrying); break;
                }
            }).ConfigureAwait(false);

            // Another pass only while everything went through and the batch was full.
            if (due.Count < MaxDeliveryBatch || retrying + poisoned != failedBefore) break;
        }
        return new UsageDeliveryReport(delivered, retrying, poisoned);
    }

    /// <summary>The deliveries kept aside after a permanent refusal, oldest first.</summary>
    public async Task<IReadOnlyList<PoisonedUsage>> ListPoisonedAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("""
                SELECT id, request_id, account, currency, service, cents, record_count, attempts, last_error
                FROM deliveries WHERE state = 'poisoned' ORDER BY id
                """);
            using var reader = command.ExecuteReader();
            var list = new List<PoisonedUsage>();
            while (reader.Read())
                list.Add(new PoisonedUsage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7), reader.IsDBNull(8) ? "" : reader.GetString(8)));
            return list;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Puts a poisoned delivery back in line (same request id), e.g. after the operator fixed the account.</summary>
    /// <returns>Whether a poisoned delivery with that id existed.</returns>
    public async Task<bool> RequeuePoisonedAsync(long id, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $now WHERE id = $id AND state = 'poisoned'");
            command.Parameters.AddWithValue("$now", NowMs());
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Counts of what the outbox holds.</summary>
    public async Task<UsageOutboxStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("""
                SELECT
                  (SELECT COUNT(*) FROM usage_records WHERE sealed = 0),
                  (SELECT COUNT(*) FROM deliveries WHERE state = 'pending'),
                  (SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'),
                  (SELECT COUNT(*) FROM deliveries WHERE state = 'poisoned'),
                  (SELECT COALESCE(SUM(cents), 0) FROM deliveries WHERE state = 'delivered'),
                  (SELECT COALESCE(SUM(micros), 0) FROM carries)
                """);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new UsageOutboxStatus(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The sub-cent micros carried for an account (over all its services when <paramref name="service"/> is null).</summary>
    public async Task<long> GetCarriedMicrosAsync(string account, string currency = "usd", string? service = null, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("SELECT COALESCE(SUM(micros), 0) FROM carries WHERE account = $a AND currency = $c AND ($s IS NULL OR service = $s)");
            command.Parameters.AddWithValue("$a", account);
            command.Parameters.AddWithValue("$c", currency);
            command.Parameters.AddWithValue("$s", (object?)service ?? DBNull.Value);
            return (long)command.ExecuteScalar()!;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Waits until something is enqueued or <paramref name="timeout"/> passes.</summary>
    internal async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _work.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Finishes pending writes and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            _db.Dispose();
        }
        finally
        {
            _lock.Release();
        }
    }

    internal static string ResolvePath(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? DefaultPathFor(System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "app", "default")
            : configured;

    private List<Delivery> ReadDueLocked()
    {
        using var command = Command($"""
            SELECT id, request_id, account, currency, service, cents, session_id, identity, bytes_sent, bytes_received,
                   duration_ticks, calls, started_at, client_ip, attempts
            FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $now ORDER BY id LIMIT {MaxDeliveryBatch}
            """);
        command.Parameters.AddWithValue("$now", NowMs());
        using var reader = command.ExecuteReader();
        var due = new List<Delivery>();
        while (reader.Read())
        {
            var usage = new UsageRecord
            {
                RequestId = reader.GetString(1),
                Account = reader.GetString(2),
                Currency = reader.GetString(3),
                Service = reader.GetString(4),
                AmountMicros = reader.GetInt64(5) * MicrosPerCent,
                SessionId = reader.GetString(6),
                Identity = reader.GetString(7),
                BytesSent = reader.GetInt64(8),
                BytesReceived = reader.GetInt64(9),
                Duration = TimeSpan.FromTicks(reader.GetInt64(10)),
                Calls = reader.GetInt64(11),
                StartedAt = DateTimeOffset.Parse(reader.GetString(12), CultureInfo.InvariantCulture),
                ClientIp = reader.IsDBNull(13) ? null : reader.GetString(13),
            };
            due.Add(new Delivery(reader.GetInt64(0), reader.GetInt32(14), usage));
        }
        return due;
    }

    private static async Task<(DeliveryState, string?)> PostAsync(IBillingProvider provider, Delivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await provider.RecordUsageAsync(delivery.Usage, cancellationToken).ConfigureAwait(false);
            return (DeliveryState.Delivered, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (DeliveryState.Pending, "delivery was cancelled");
        }
        catch (ZtBillingException e) when (e.IsPermanent)
        {
            return (DeliveryState.Poisoned, e.Message);
        }
        catch (Exception e)
        {
            return (DeliveryState.Pending, e.Message);
        }
    }

    private void MarkLocked(Delivery delivery, DeliveryState state, string? error)
    {
        using var command = state switch
        {
            DeliveryState.Delivered => Command("UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_error = NULL, delivered_at = $at WHERE id = $id"),
            DeliveryState.Poisoned => Command("UPDATE deliveries SET state = 'poisoned', attempts = attempts + 1, last_error = $error WHERE id = $id"),
            _ => Command("UPDATE deliveries SET attempts = attempts + 1, last_error = $error, next_attempt_at = $next WHERE id = $id"),
        };
        command.Parameters.AddWithValue("$id", delivery.Id);
        command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$next", NowMs() + (long)RetryDelay(delivery.Attempts + 1).TotalMilliseconds);
        command.ExecuteNonQuery();
    }

    /// <summary>The delay after the <paramref name="attempts"/>-th failure: base × 2^(attempts−1), at most the maximum.</summary>
    internal TimeSpan RetryDelay(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = _retryBase.Ticks <= _retryMax.Ticks >> exponent ? _retryBase.Ticks << exponent : _retryMax.Ticks;
        return TimeSpan.FromTicks(Math.Min(ticks, _retryMax.Ticks));
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private sealed record Delivery(long Id, int Attempts, UsageRecord Usage);

    private enum DeliveryState { Pending, Delivered, Poisoned }
}
