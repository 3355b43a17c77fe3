namespace Hanzo.Zt.Controller.PostgreSql;

/// <summary>
/// The schema, as an ordered list of migrations. A migration is never edited once released; changes append a new
/// one. They run under a session advisory lock, each in one transaction with its row in <c>schema_migrations</c>,
/// so controllers starting together apply each exactly once.
/// </summary>
internal static class PostgreSqlMigrations
{
    /// <summary>The advisory lock key that serializes migrations ("ZTCTL" + 1).</summary>
    public const long MigrationLockKey = 0x5A5443544C_0001;

    /// <summary>The advisory lock key held while a revocation takes its feed position, until its transaction ends.</summary>
    public const long RevocationFeedLockKey = 0x5A5443544C_0002;

    public static readonly string[] EntityTables =
    [
        "identities", "services", "service_policies", "edge_routers", "external_jwt_signers",
        "auth_policies", "enrollments", "revocations", "api_sessions", "sessions",
    ];

    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } =
    [
        (1, "entity tables, settings and the revocation feed sequence", string.Concat(EntityTables.Select(EntityTable)) + """
            ALTER TABLE revocations ADD COLUMN seq bigint UNIQUE;
            CREATE SEQUENCE revocation_seq AS bigint;
            CREATE TABLE settings (
                key text PRIMARY KEY,
                value bytea NOT NULL,
                updated_at timestamptz NOT NULL);
            """),
    ];

    // Fields that are queried are columns; the rest of the entity is a JSON body.
    private static string EntityTable(string table) => $"""
        CREATE TABLE {table} (
            id text PRIMARY KEY,
            name text NOT NULL UNIQUE,
            lookup text UNIQUE,
            owner text,
            version bigint NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            body jsonb NOT NULL);
        CREATE INDEX ix_{table}_owner ON {table}(owner);

        """;
}
