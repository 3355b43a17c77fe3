using Microsoft.Data.Sqlite;

namespace Hanzo.Zt.Controller.Store.Sqlite;

/// <summary>
/// Where a repository's statements run: on a pooled connection of their own (each write its own transaction), or
/// inside the one transaction of <see cref="IControllerStore.InTransactionAsync{T}"/> (each write a savepoint).
/// </summary>
internal sealed class SqliteScope(string connectionString, SqliteConnection? connection = null, SqliteTransaction? transaction = null)
{
    private int _savepoints;

    public string ConnectionString => connectionString;

    /// <summary>Whether statements run inside one caller's transaction.</summary>
    public bool InTransaction => connection is not null;

    public async Task<Lease> ReadAsync(CancellationToken cancellationToken)
    {
        if (connection is not null) return new Lease(connection, transaction, owned: false);
        var opened = new SqliteConnection(connectionString);
        await opened.OpenAsync(cancellationToken);
        return new Lease(opened, null, owned: true);
    }

    public async Task<Lease> WriteAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            var savepoint = "w" + Interlocked.Increment(ref _savepoints);
            await transaction!.SaveAsync(savepoint, cancellationToken);
            return new Lease(connection, transaction, owned: false, savepoint);
        }
        var opened = new SqliteConnection(connectionString);
        await opened.OpenAsync(cancellationToken);
        return new Lease(opened, (SqliteTransaction)await opened.BeginTransactionAsync(cancellationToken), owned: true);
    }

    /// <summary>A connection (and transaction) for a few statements; disposing without committing rolls the write back.</summary>
    internal sealed class Lease(SqliteConnection connection, SqliteTransaction? transaction, bool owned, string? savepoint = null) : IAsyncDisposable
    {
        private bool _done;

        public SqliteCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (savepoint is not null) await transaction!.ReleaseAsync(savepoint, cancellationToken);
            else if (owned && transaction is not null) await transaction.CommitAsync(cancellationToken);
            _done = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_done && transaction is not null)
            {
                if (savepoint is not null) await transaction.RollbackAsync(savepoint);
                else if (owned) await transaction.RollbackAsync();
            }
            if (owned)
            {
                if (transaction is not null) await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }
}
