using Npgsql;

namespace Hanzo.Zt.Controller.PostgreSql;

/// <summary>Choosing PostgreSQL as the controller's store.</summary>
public static class PostgreSqlControllerOptions
{
    /// <summary>The store name <c>zt controller run --store</c> and <c>ZT_CONTROLLER_STORE</c> use for PostgreSQL.</summary>
    public const string StoreName = "postgresql";

    /// <summary>
    /// Keeps the controller's state in the PostgreSQL database <paramref name="connectionString"/> names, shared with
    /// every other controller given the same database and the same <see cref="ControllerOptions.MasterKey"/>.
    /// </summary>
    /// <exception cref="ZtConfigurationException">The connection string is empty or cannot be parsed.</exception>
    public static ControllerOptions UsePostgreSql(this ControllerOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ZtConfigurationException("the PostgreSQL store needs a connection string (--connection-string or ZT_CONTROLLER_CONNECTION_STRING)");
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ZtConfigurationException($"the PostgreSQL connection string is not valid: {e.Message}", e);
        }
        options.StoreFactory = o => new PostgreSqlControllerStore(connectionString, o.TimeProvider);
        options.StoreDescription = $"PostgreSQL database '{parsed.Database}' on {parsed.Host}:{parsed.Port}";
        return options;
    }
}
