using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Hanzo.Zt.Controller.Store.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL journal). Connections come from the provider's pool; every
/// write is its own transaction; the schema is brought up to date by <see cref="MigrateAsync"/>.
/// </summary>
public sealed class SqliteControllerStore : IControllerStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>.</summary>
    public SqliteControllerStore(string path, TimeProvider? timeProvider = null)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _time = timeProvider ?? TimeProvider.System;
        Identities = new SqliteEntityRepository<IdentityRecord>(this, "identities");
        Services = new SqliteEntityRepository<ServiceRecord>(this, "services");
        ServicePolicies = new SqliteEntityRepository<ServicePolicyRecord>(this, "service_policies");
        EdgeRouters = new SqliteEntityRepository<EdgeRouterRecord>(this, "edge_routers");
        ExternalJwtSigners = new SqliteEntityRepository<ExternalJwtSignerRecord>(this, "external_jwt_signers");
        AuthPolicies = new SqliteEntityRepository<AuthPolicyRecord>(this, "auth_policies");
        Enrollments = new SqliteEntityRepository<EnrollmentRecord>(this, "enrollments");
        Revocations = new SqliteEntityRepository<RevocationRecord>(this, "revocations", AssignSequenceAsync);
        ApiSessions = new SqliteEntityRepository<ApiSessionRecord>(this, "api_sessions");
        Sessions = new SqliteEntityRepository<SessionRecord>(this, "sessions");
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
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at TEXT NOT NULL);
            """, cancellationToken);
        var current = await CurrentVersionAsync(connection, cancellationToken);
        foreach (var (version, description, sql) in SqliteMigrations.All.Where(m => m.Version > current))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($v, $d, $t)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$d", description);
            record.Parameters.AddWithValue("$t", Now().ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await CurrentVersionAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM settings WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc />
    public async Task SetSettingAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO settings (key, value, updated_at) VALUES ($k, $v, $t)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.Parameters.AddWithValue("$t", Now().ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the directory can be reused or removed.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    internal DateTimeOffset Now() => _time.GetUtcNow();

    // Inside the insert's write transaction: SQLite serializes writers, so sequence order is commit order.
    private static async Task<RevocationRecord> AssignSequenceAsync(SqliteConnection connection, SqliteTransaction transaction,
        RevocationRecord revocation, CancellationToken cancellationToken)
    {
        await using var next = connection.CreateCommand();
        next.Transaction = transaction;
        next.CommandText = "UPDATE sequences SET value = value + 1 WHERE name = 'revocations' RETURNING value";
        var value = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return revocation with { Sequence = value };
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<int> CurrentVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
