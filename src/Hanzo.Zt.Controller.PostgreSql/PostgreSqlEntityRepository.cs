using System.Text.Json;
using Hanzo.Zt.Controller.Store;
using Npgsql;
using NpgsqlTypes;

namespace Hanzo.Zt.Controller.PostgreSql;

/// <summary>
/// One entity table: key columns plus the entity as a JSONB body. Updates are conditional on the version read
/// (optimistic concurrency across controllers). A sequenced table (revocations) takes each row's feed position
/// under a transaction advisory lock held until commit, so positions become visible in increasing order.
/// </summary>
internal sealed class PostgreSqlEntityRepository<T>(PostgreSqlScope scope, TimeProvider time, string table, bool sequenced = false) : IEntityRepository<T>
    where T : StoredEntity
{
    private readonly string _columns = "id, name, version, created_at, updated_at, body" + (sequenced ? ", seq" : "");

    public Task<T?> GetAsync(string id, CancellationToken cancellationToken = default) => SingleAsync("id", id, cancellationToken);

    public Task<T?> FindByNameAsync(string name, CancellationToken cancellationToken = default) => SingleAsync("name", name, cancellationToken);

    public Task<T?> FindByLookupAsync(string lookupKey, CancellationToken cancellationToken = default) => SingleAsync("lookup", lookupKey, cancellationToken);

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default) =>
        ManyAsync($"SELECT {_columns} FROM {table} ORDER BY name", null, cancellationToken);

    public Task<IReadOnlyList<T>> ListByOwnerAsync(string ownerKey, CancellationToken cancellationToken = default) =>
        ManyAsync($"SELECT {_columns} FROM {table} WHERE owner = $1 ORDER BY name", ownerKey, cancellationToken);

    public async Task<IReadOnlyList<T>> ListAfterSequenceAsync(long sequence, int limit, CancellationToken cancellationToken)
    {
        await using var lease = await scope.ReadAsync(cancellationToken);
        await using var select = lease.Command($"SELECT {_columns} FROM {table} WHERE seq > $1 ORDER BY seq LIMIT $2");
        select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAllAsync(select, cancellationToken);
    }

    public async Task<EntityPage<T>> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default)
    {
        var (where, value) = query switch
        {
            { NameEquals: { } n } => ("WHERE name = $1", n),
            { NameContains: { } c } => ("WHERE strpos(lower(name), lower($1)) > 0", c),
            _ => ("", (string?)null),
        };
        var next = value is null ? 1 : 2;
        await using var lease = await scope.ReadAsync(cancellationToken);
        await using var select = lease.Command(
            $"SELECT {_columns}, count(*) OVER () FROM {table} {where} ORDER BY name LIMIT ${next} OFFSET ${next + 1}");
        if (value is not null) select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        var total = -1L;
        var items = await ReadAllAsync(select, cancellationToken, r => total = r.GetInt64(r.FieldCount - 1));
        if (total < 0)
        {
            // The page is empty (or past the end): count separately.
            await using var count = lease.Command($"SELECT count(*) FROM {table} {where}");
            if (value is not null) count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return new EntityPage<T>(items, (int)total);
    }

    public async Task<T> CreateAsync(T entity, CancellationToken cancellationToken = default)
    {
        var now = PostgreSqlControllerStore.Truncate(time.GetUtcNow());
        var stored = entity with { Version = 1, CreatedAt = now, UpdatedAt = now };
        await using var lease = await scope.WriteAsync(cancellationToken);
        long? seq = null;
        if (sequenced)
        {
            await using var next = lease.Command($"SELECT pg_advisory_xact_lock({PostgreSqlMigrations.RevocationFeedLockKey}); SELECT nextval('revocation_seq')");
            await using var reader = await next.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            seq = reader.GetInt64(0);
        }
        await using var insert = lease.Command($"""
            INSERT INTO {table} (id, name, lookup, owner, version, created_at, updated_at, body{(sequenced ? ", seq" : "")})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8{(sequenced ? ", $9" : "")})
            """);
        Bind(insert, stored);
        if (seq is { } n) insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = n });
        await ExecuteWriteAsync(insert, stored, cancellationToken);
        await lease.CommitAsync(cancellationToken);
        return seq is { } position && stored is RevocationRecord r ? (T)(StoredEntity)(r with { Sequence = position }) : stored;
    }

    public async Task<T> UpdateAsync(T entity, CancellationToken cancellationToken = default)
    {
        var stored = entity with { Version = entity.Version + 1, UpdatedAt = PostgreSqlControllerStore.Truncate(time.GetUtcNow()) };
        await using var lease = await scope.WriteAsync(cancellationToken);
        await using var update = lease.Command($"""
            UPDATE {table} SET name = $2, lookup = $3, owner = $4, version = $5, updated_at = $6, body = $7
            WHERE id = $1 AND version = $8
            """);
        Bind(update, stored, includeCreated: false);
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = entity.Version });
        if (await ExecuteWriteAsync(update, stored, cancellationToken) == 0)
            throw new StoreConflictException($"'{entity.Name}' was changed or deleted by someone else (version {entity.Version} is stale); read it again and retry");
        await lease.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        await DeleteWhereAsync("id", id, cancellationToken) > 0;

    public Task<int> DeleteByOwnerAsync(string ownerKey, CancellationToken cancellationToken = default) =>
        DeleteWhereAsync("owner", ownerKey, cancellationToken);

    private async Task<int> DeleteWhereAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var lease = await scope.WriteAsync(cancellationToken);
        await using var delete = lease.Command($"DELETE FROM {table} WHERE {column} = $1");
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        var count = await delete.ExecuteNonQueryAsync(cancellationToken);
        await lease.CommitAsync(cancellationToken);
        return count;
    }

    private async Task<T?> SingleAsync(string column, string value, CancellationToken cancellationToken) =>
        (await ManyAsync($"SELECT {_columns} FROM {table} WHERE {column} = $1", value, cancellationToken)).FirstOrDefault();

    private async Task<IReadOnlyList<T>> ManyAsync(string sql, string? value, CancellationToken cancellationToken)
    {
        await using var lease = await scope.ReadAsync(cancellationToken);
        await using var command = lease.Command(sql);
        if (value is not null) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        return await ReadAllAsync(command, cancellationToken);
    }

    private async Task<IReadOnlyList<T>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken, Action<NpgsqlDataReader>? extra = null)
    {
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = JsonSerializer.Deserialize<T>(reader.GetString(5), PostgreSqlControllerStore.Json)! with
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                Version = reader.GetInt64(2),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(4),
            };
            if (sequenced && entity is RevocationRecord r && !reader.IsDBNull(6)) entity = (T)(StoredEntity)(r with { Sequence = reader.GetInt64(6) });
            extra?.Invoke(reader);
            list.Add(entity);
        }
        return list;
    }

    private static void Bind(NpgsqlCommand command, T entity, bool includeCreated = true)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entity.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entity.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entity.LookupKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entity.OwnerKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = entity.Version });
        if (includeCreated) command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = entity.CreatedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = entity.UpdatedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(entity, PostgreSqlControllerStore.Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
    }

    private async Task<int> ExecuteWriteAsync(NpgsqlCommand command, T entity, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            var field = e.ConstraintName == $"{table}_lookup_key" ? entity.LookupField
                : e.ConstraintName == $"{table}_pkey" ? "id" : "name";
            var value = field == "name" ? entity.Name : field == "id" ? entity.Id : entity.LookupKey;
            throw new StoreDuplicateException($"the {field} '{value}' is already in use", field);
        }
    }
}
