using Npgsql;

namespace Hanzo.Zt.Controller.PostgreSql;

/// <summary>
/// Where a repository's statements run: on a pooled connection of their own (each write its own transaction), or
/// inside the one transaction of <c>InTransactionAsync</c> (each write a savepoint, so a refused write, such as a
/// duplicate, leaves the rest of the transaction usable).
/// </summary>
internal sealed class PostgreSqlScope(NpgsqlDataSource dataSource, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
{
    private int _savepoints;

    public NpgsqlDataSource DataSource => dataSource;

    public bool InTransaction => connection is not null;

    public async Task<Lease> ReadAsync(CancellationToken cancellationToken) =>
        connection is not null
            ? new Lease(connection, transaction, owned: false)
            : new Lease(await dataSource.OpenConnectionAsync(cancellationToken), null, owned: true);

    public async Task<Lease> WriteAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            var savepoint = "w" + Interlocked.Increment(ref _savepoints);
            await transaction!.SaveAsync(savepoint, cancellationToken);
            return new Lease(connection, transaction, owned: false, savepoint);
        }
        var opened = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new Lease(opened, await opened.BeginTransactionAsync(cancellationToken), owned: true);
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection (and transaction) for a few statements; disposing without committing rolls the write back.</summary>
    internal sealed class Lease(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool owned, string? savepoint = null) : IAsyncDisposable
    {
        private bool _done;

        public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (savepoint is not null) await transaction!.ReleaseAsync(savepoint, cancellationToken);
            else if (owned && transaction is not null) await transaction.CommitAsync(cancellationToken);
            _done = true;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_done && savepoint is not null && connection.State == System.Data.ConnectionState.Open) await transaction!.RollbackAsync(savepoint);
            }
            finally
            {
                if (owned)
                {
                    // Disposing an uncommitted transaction rolls it back.
                    if (transaction is not null) await transaction.DisposeAsync();
                    await connection.DisposeAsync();
                }
            }
        }
    }
}
