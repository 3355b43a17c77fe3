using System.Text.Json;
using Hanzo.Zt.Controller.Store;
using Npgsql;

namespace Hanzo.Zt.Controller.PostgreSql;

/// <summary>
/// The controller's state in PostgreSQL, shared by any number of controllers at once: the database does the
/// coordination. Schema migrations run once under an advisory lock; updates are conditional on the version read;
/// settings that must be created once (the CA and signing keys) are inserted all or nothing; the revocation feed is
/// numbered by a sequence in commit order.
/// </summary>
internal sealed class PostgreSqlControllerStore : IControllerStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly PostgreSqlScope _scope;
    private readonly TimeProvider _time;
    private readonly PostgreSqlEntityRepository<RevocationRecord> _revocations;
    private readonly bool _ownsDataSource;

    /// <summary>Connects to the database <paramref name="connectionString"/> names (it must exist; tables are created by <see cref="MigrateAsync"/>).</summary>
    /// <exception cref="ZtConfigurationException">The connection string cannot be parsed.</exception>
    public PostgreSqlControllerStore(string connectionString, TimeProvider? timeProvider = null)
        : this(new PostgreSqlScope(CreateDataSource(connectionString)), timeProvider ?? TimeProvider.System, ownsDataSource: true)
    {
    }

    private PostgreSqlControllerStore(PostgreSqlScope scope, TimeProvider time, bool ownsDataSource)
    {
        _scope = scope;
        _time = time;
        _ownsDataSource = ownsDataSource;
        Identities = new PostgreSqlEntityRepository<IdentityRecord>(scope, time, "identities");
        Services = new PostgreSqlEntityRepository<ServiceRecord>(scope, time, "services");
        ServicePolicies = new PostgreSqlEntityRepository<ServicePolicyRecord>(scope, time, "service_policies");
        EdgeRouters = new PostgreSqlEntityRepository<EdgeRouterRecord>(scope, time, "edge_routers");
        ExternalJwtSigners = new PostgreSqlEntityRepository<ExternalJwtSignerRecord>(scope, time, "external_jwt_signers");
        AuthPolicies = new PostgreSqlEntityRepository<AuthPolicyRecord>(scope, time, "auth_policies");
        Enrollments = new PostgreSqlEntityRepository<EnrollmentRecord>(scope, time, "enrollments");
        Revocations = _revocations = new PostgreSqlEntityRepository<RevocationRecord>(scope, time, "revocations", sequenced: true);
        ApiSessions = new PostgreSqlEntityRepository<ApiSessionRecord>(scope, time, "api_sessions");
        Sessions = new PostgreSqlEntityRepository<SessionRecord>(scope, time, "sessions");
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
        await using var connection = await _scope.DataSource.OpenConnectionAsync(cancellationToken);
        // A session lock: released by the unlock below, or by the server when this connection dies.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgreSqlMigrations.MigrationLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at timestamptz NOT NULL)
                """, cancellationToken);
            var current = await CurrentVersionAsync(connection, cancellationToken);
            foreach (var (version, description, sql) in PostgreSqlMigrations.All.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)", connection, transaction);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description });
                record.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _time.GetUtcNow().ToUniversalTime() });
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgreSqlMigrations.MigrationLockKey})", CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _scope.DataSource.OpenConnectionAsync(cancellationToken);
        return await CurrentVersionAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var lease = await _scope.ReadAsync(cancellationToken);
        await using var command = lease.Command("SELECT value FROM settings WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc />
    public async Task SetSettingAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        await using var lease = await _scope.WriteAsync(cancellationToken);
        await using var command = lease.Command("""
            INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """);
        AddSetting(command, key, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await lease.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryAddSettingsAsync(IReadOnlyDictionary<string, byte[]> settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var lease = await _scope.WriteAsync(cancellationToken);
        // A concurrent inserter of the same key makes this wait for its commit, then see the conflict.
        foreach (var (key, value) in settings)
        {
            await using var command = lease.Command("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING");
            AddSetting(command, key, value);
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
        await using var connection = await _scope.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(new PostgreSqlControllerStore(new PostgreSqlScope(_scope.DataSource, connection, transaction), _time, ownsDataSource: false), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource) await _scope.DataSource.DisposeAsync();
    }

    /// <summary>PostgreSQL keeps microseconds: times are cut to that so what is returned equals what is read back.</summary>
    internal static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    private void AddSetting(NpgsqlCommand command, string key, byte[] value)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = value });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Truncate(_time.GetUtcNow()) });
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        try
        {
            return NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ZtConfigurationException($"the PostgreSQL connection string is not valid: {e.Message}", e);
        }
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        try
        {
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
