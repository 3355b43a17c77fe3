using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Hanzo.Zt.Controller.Store.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL journal). Connections come from the provider's pool; every
/// write is its own transaction; the schema is brought up to date by <see cref="MigrateAsync"/>.
/// </summary>
internal sealed class SqliteControllerStore : IControllerStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SqliteScope _scope;
    private readonly TimeProvider _time;
    private readonly SqliteEntityRepository<RevocationRecord> _revocations;

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>.</summary>
    public SqliteControllerStore(string path, TimeProvider? timeProvider = null)
        : this(new SqliteScope(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString()), timeProvider ?? TimeProvider.System)
    {
    }

    private SqliteControllerStore(SqliteScope scope, TimeProvider time)
    {
        _scope = scope;
        _time = time;
        Identities = new SqliteEntityRepository<IdentityRecord>(scope, time, "identities");
        Services = new SqliteEntityRepository<ServiceRecord>(scope, time, "services");
        ServicePolicies = new SqliteEntityRepository<ServicePolicyRecord>(scope, time, "service_policies");
        EdgeRouters = new SqliteEntityRepository<EdgeRouterRecord>(scope, time, "edge_routers");
        ExternalJwtSigners = new SqliteEntityRepository<ExternalJwtSignerRecord>(scope, time, "external_jwt_signers");
        AuthPolicies = new SqliteEntityRepository<AuthPolicyRecord>(scope, time, "auth_policies");
        Enrollments = new SqliteEntityRepository<EnrollmentRecord>(scope, time, "enrollments");
        Revocations = _revocations = new SqliteEntityRepository<RevocationRecord>(scope, time, "revocations", sequenced: true);
        ApiSessions = new SqliteEntityRepository<ApiSessionRecord>(scope, time, "api_sessions");
        Sessions = new SqliteEntityRepository<SessionRecord>(scope, time, "sessions");
    }

    /// <inheritdoc />
    public IEntityRepository<IdentityRecord> Identities { get; }
    /// <inheritdoc />
    public IEntityRepository<ServiceRecord> Services { get; }
    /// <inheritdoc />
    public IEntityRepository<ServicePolicyRecord> ServicePolicies { get; }
    /// <inheritdoc />
    public IEntityRepository<EdgeRouterRecord> EdgeRouters { get; }
    /// <inheritdoc />
    public IEntityRepository<ExternalJwtSignerRecord> ExternalJwtSigners { get; }
    /// <inheritdoc />
    public IEntityRepository<AuthPolicyRecord> AuthPolicies { get; }
    /// <inheritdoc />
    public IEntityRepository<EnrollmentRecord> Enrollments { get; }
    /// <inheritdoc />
    public IEntityRepository<RevocationRecord> Revocations { get; }
    /// <inheritdoc />
    public IEntityRepository<ApiSessionRecord> ApiSessions { get; }
    /// <inheritdoc />
    public IEntityRepository<SessionRecord> Sessions { get; }

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var lease = await _scope.ReadAsync(cancellationToken);
        await ExecuteAsync(lease, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(lease, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at TEXT NOT NULL);
            """, cancellationToken);
        var current = await CurrentVersionAsync(lease, cancellationToken);
        foreach (var (version, description, sql) in SqliteMigrations.All.Where(m => m.Version > current))
        {
            await using var write = await _scope.WriteAsync(cancellationToken);
            await ExecuteAsync(write, sql, cancellationToken);
            await using var record = write.Command("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($v, $d, $t)");
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$d", description);
            record.Parameters.AddWithValue("$t", Now());
            await record.ExecuteNonQueryAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var lease = await _scope.ReadAsync(cancellationToken);
        return await CurrentVersionAsync(lease, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var lease = await _scope.ReadAsync(cancellationToken);
        await using var command = lease.Command("SELECT value FROM settings WHERE key = $k");
        command.Parameters.AddWithValue("$k", key);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc />
    public async Task SetSettingAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        await using var lease = await _scope.WriteAsync(cancellationToken);
        await using var command = lease.Command("""
            INSERT INTO settings (key, value, updated_at) VALUES ($k, $v, $t)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.Parameters.AddWithValue("$t", Now());
        await command.ExecuteNonQueryAsync(cancellationToken);
        await lease.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryAddSettingsAsync(IReadOnlyDictionary<string, byte[]> settings, CancellationToken cancellationToken = default)
    {
        await using var lease = await _scope.WriteAsync(cancellationToken);
        foreach (var (key, value) in settings)
        {
            await using var command = lease.Command("INSERT INTO settings (key, value, updated_at) VALUES ($k, $v, $t) ON CONFLICT(key) DO NOTHING");
            command.Parameters.AddWithValue("$k", key);
            command.Parameters.AddWithValue("$v", value);
            command.Parameters.AddWithValue("$t", Now());
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0) return false; // disposing rolls back
        }
        await lease.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RevocationRecord>> ReadRevocationsAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default) =>
        _revocations.ListAfterSequenceAsync(sequence, limit, cancellationToken);

    /// <inheritdoc />
    public async Task<T> InTransactionAsync<T>(Func<IControllerStore, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_scope.InTransaction) return await work(this, cancellationToken);
        await using var connection = new SqliteConnection(_scope.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(new SqliteControllerStore(new SqliteScope(_scope.ConnectionString, connection, transaction), _time), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the directory can be reused or removed.
        using var connection = new SqliteConnection(_scope.ConnectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static async Task<int> CurrentVersionAsync(SqliteScope.Lease lease, CancellationToken cancellationToken)
    {
        await using var command = lease.Command("SELECT coalesce(max(version), 0) FROM schema_migrations");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteScope.Lease lease, string sql, CancellationToken cancellationToken)
    {
        await using var command = lease.Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
