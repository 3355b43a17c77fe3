namespace Hanzo.Zt.Controller.Store.Sqlite;

/// <summary>
/// The schema, as an ordered list of migrations. A migration is never edited once released; changes
/// append a new one. Each runs in one transaction together with its row in <c>schema_migrations</c>.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>The tables that hold entities, all of the same shape.</summary>
    public static readonly string[] EntityTables =
    [
        "identities", "services", "service_policies", "edge_routers", "external_jwt_signers",
        "auth_policies", "enrollments", "revocations", "api_sessions", "sessions",
    ];

    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } =
    [
        (1, "entity tables and settings", string.Concat(EntityTables.Select(EntityTable)) + """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value BLOB NOT NULL,
                updated_at TEXT NOT NULL);
            """),
        (2, "revocation feed sequence", """
            ALTER TABLE revocations ADD COLUMN seq INTEGER;
            UPDATE revocations SET seq = (SELECT count(*) FROM revocations r
                WHERE r.created_at < revocations.created_at OR (r.created_at = revocations.created_at AND r.id <= revocations.id));
            CREATE UNIQUE INDEX ix_revocations_seq ON revocations(seq);
            CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT INTO sequences (name, value) SELECT 'revocations', coalesce(max(seq), 0) FROM revocations;
            """),
    ];

    // Fields that are queried are columns; the rest of the entity is a JSON body.
    private static string EntityTable(string table) => $"""
        CREATE TABLE {table} (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            lookup TEXT UNIQUE,
            owner TEXT,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            body TEXT NOT NULL);
        CREATE INDEX ix_{table}_owner ON {table}(owner);

        """;
}
