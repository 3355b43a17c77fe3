namespace Hanzo.Zt.Controller.Store;

/// <summary>
/// Everything the controller keeps, behind a database-neutral interface: one repository per entity kind
/// plus named settings (opaque bytes, used for key material and the CA).
/// </summary>
public interface IControllerStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema to the newest version.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version after migration.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Identities.</summary>
    IEntityRepository<IdentityRecord> Identities { get; }

    /// <summary>Services.</summary>
    IEntityRepository<ServiceRecord> Services { get; }

    /// <summary>Service policies.</summary>
    IEntityRepository<ServicePolicyRecord> ServicePolicies { get; }

    /// <summary>Edge routers.</summary>
    IEntityRepository<EdgeRouterRecord> EdgeRouters { get; }

    /// <summary>External JWT signers.</summary>
    IEntityRepository<ExternalJwtSignerRecord> ExternalJwtSigners { get; }

    /// <summary>Authentication policies.</summary>
    IEntityRepository<AuthPolicyRecord> AuthPolicies { get; }

    /// <summary>Pending enrollments (one-time tokens).</summary>
    IEntityRepository<EnrollmentRecord> Enrollments { get; }

    /// <summary>Revocations of identities, certificates and sessions.</summary>
    IEntityRepository<RevocationRecord> Revocations { get; }

    /// <summary>API sessions.</summary>
    IEntityRepository<ApiSessionRecord> ApiSessions { get; }

    /// <summary>Service sessions.</summary>
    IEntityRepository<SessionRecord> Sessions { get; }

    /// <summary>A named setting, or null.</summary>
    Task<byte[]?> GetSettingAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a named setting, replacing any earlier value.</summary>
    Task SetSettingAsync(string key, byte[] value, CancellationToken cancellationToken = default);
}
