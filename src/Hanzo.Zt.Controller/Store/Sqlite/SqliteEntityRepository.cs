using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Hanzo.Zt.Controller.Store.Sqlite;

/// <summary>
/// One entity table: key columns plus the entity as a JSON body. Statements are parameterized. A sequenced table
/// (revocations) numbers its rows from a counter taken in the inserting transaction; SQLite has one writer at a
/// time, so the numbers follow commit order.
/// </summary>
internal sealed class SqliteEntityRepository<T>(SqliteScope scope, TimeProvider time, string table, bool sequenced = false) : IEntityRepository<T>
    where T : StoredEntity
{
    private readonly string _columns = "id, name, version, created_at, updated_at, body" + (sequenced ? ", seq" : "");

    public Task<T?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        SingleAsync("id = $v", id, cancellationToken);

    public Task<T?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        SingleAsync("name = $v", name, cancellationToken);

    public Task<T?> FindByLookupAsync(string lookupKey, CancellationToken cancellationToken = default) =>
        SingleAsync("lookup = $v", lookupKey, cancellationToken);

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default) =>
        ManyAsync($"SELECT {_columns} FROM {table} ORDER BY name", null, cancellationToken);

    public Task<IReadOnlyList<T>> ListByOwnerAsync(string ownerKey, CancellationToken cancellationToken = default) =>
        ManyAsync($"SELECT {_columns} FROM {table} WHERE owner = $v ORDER BY name", ownerKey, cancellationToken);

    public async Task<IReadOnlyList<T>> ListAfterSequenceAsync(long sequence, int limit, CancellationToken cancellationToken)
    {
        await using var lease = await scope.ReadAsync(cancellationToken);
        await using var select = lease.Command($"SELECT {_columns} FROM {table} WHERE seq > $after ORDER BY seq LIMIT $limit");
        select.Parameters.AddWithValue("$after", sequence);
        select.Parameters.AddWithValue("$limit", limit);
        return await ReadAllAsync(select, cancellationToken);
    }

    public async Task<EntityPage<T>> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default)
    {
        var (where, value) = query switch
        {
            { NameEquals: { } n } => ("WHERE name = $v", n),
            { NameContains: { } c } => ("WHERE instr(lower(name), lower($v)) > 0", c),
            _ => ("", (string?)null),
        };
        await using var lease = await scope.ReadAsync(cancellationToken);
        await using var count = lease.Command($"SELECT count(*) FROM {table} {where}");
        if (value is not null) count.Parameters.AddWithValue("$v", value);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

        await using var select = lease.Command($"SELECT {_columns} FROM {table} {where} ORDER BY name LIMIT $limit OFFSET $offset");
        if (value is not null) select.Parameters.AddWithValue("$v", value);
        select.Parameters.AddWithValue("$limit", query.Limit);
        select.Parameters.AddWithValue("$offset", query.Offset);
        return new EntityPage<T>(await ReadAllAsync(select, cancellationToken), total);
    }

    public async Task<T> CreateAsync(T entity, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var stored = entity with { Version = 1, CreatedAt = now, UpdatedAt = now };
        await using var lease = await scope.WriteAsync(cancellationToken);
        object seq = DBNull.Value;
        if (sequenced)
        {
            await using var next = lease.Command("UPDATE sequences SET value = value + 1 WHERE name = $table RETURNING value");
            next.Parameters.AddWithValue("$table", table);
            seq = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        await using var insert = lease.Command($"""
            INSERT INTO {table} (id, name, lookup, owner, version, created_at, updated_at, body{(sequenced ? ", seq" : "")})
            VALUES ($id, $name, $lookup, $owner, $version, $created, $updated, $body{(sequenced ? ", $seq" : "")})
            """);
        Bind(insert, stored);
        if (sequenced) insert.Parameters.AddWithValue("$seq", seq);
        await ExecuteWriteAsync(insert, stored, cancellationToken);
        await lease.CommitAsync(cancellationToken);
        return seq is long n && stored is RevocationRecord r ? (T)(StoredEntity)(r with { Sequence = n }) : stored;
    }

    public async Task<T> UpdateAsync(T entity, CancellationToken cancellationToken = default)
    {
        var stored = entity with { Version = entity.Version + 1, UpdatedAt = time.GetUtcNow() };
        await using var lease = await scope.WriteAsync(cancellationToken);
        await using var update = lease.Command($"""
            UPDATE {table} SET name = $name, lookup = $lookup, owner = $owner, version = $version,
                updated_at = $updated, body = $body
            WHERE id = $id AND version = $expected
            """);
        Bind(update, stored);
        update.Parameters.AddWithValue("$expected", entity.Version);
        if (await ExecuteWriteAsync(update, stored, cancellationToken) == 0)
            throw new StoreConflictException($"'{entity.Name}' was changed or deleted by someone else (version {entity.Version} is stale); read it again and retry");
        await lease.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        await DeleteWhereAsync("id = $v", id, cancellationToken) > 0;

    public Task<int> DeleteByOwnerAsync(string ownerKey, CancellationToken cancellationToken = default) =>
        DeleteWhereAsync("owner = $v", ownerKey, cancellationToken);

    private async Task<int> DeleteWhereAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var lease = await scope.WriteAsync(cancellationToken);
        await using var delete = lease.Command($"DELETE FROM {table} WHERE {where}");
        delete.Parameters.AddWithValue("$v", value);
        var count = await delete.ExecuteNonQueryAsync(cancellationToken);
        await lease.CommitAsync(cancellationToken);
        return count;
    }

    private async Task<T?> SingleAsync(string where, string value, CancellationToken cancellationToken) =>
        (await ManyAsync($"SELECT {_columns} FROM {table} WHERE {where}", value, cancellationToken)).FirstOrDefault();

    private async Task<IReadOnlyList<T>> ManyAsync(string sql, string? value, CancellationToken cancellationToken)
    {
        await using var lease = await scope.ReadAsync(cancellationToken);
        await using var command = lease.Command(sql);
        if (value is not null) command.Parameters.AddWithValue("$v", value);
        return await ReadAllAsync(command, cancellationToken);
    }

    private async Task<IReadOnlyList<T>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = JsonSerializer.Deserialize<T>(reader.GetString(5), SqliteControllerStore.Json)! with
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                Version = reader.GetInt64(2),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
                UpdatedAt = DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
            };
            if (sequenced && entity is RevocationRecord r && !reader.IsDBNull(6)) entity = (T)(StoredEntity)(r with { Sequence = reader.GetInt64(6) });
            list.Add(entity);
        }
        return list;
    }

    private static void Bind(SqliteCommand command, T entity)
    {
        command.Parameters.AddWithValue("$id", entity.Id);
        command.Parameters.AddWithValue("$name", entity.Name);
        command.Parameters.AddWithValue("$lookup", (object?)entity.LookupKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$owner", (object?)entity.OwnerKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$version", entity.Version);
        command.Parameters.AddWithValue("$created", entity.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$updated", entity.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(entity, SqliteControllerStore.Json));
    }

    private static async Task<int> ExecuteWriteAsync(SqliteCommand command, T entity, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
        {
            var field = e.Message.Contains(".lookup", StringComparison.Ordinal) ? entity.LookupField
                : e.Message.Contains(".id", StringComparison.Ordinal) ? "id" : "name";
            var value = field == "name" ? entity.Name : field == "id" ? entity.Id : entity.LookupKey;
            throw new StoreDuplicateException($"the {field} '{value}' is already in use", field);
        }
    }
}
