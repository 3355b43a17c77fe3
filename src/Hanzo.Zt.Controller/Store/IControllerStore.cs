namespace Hanzo.Zt.Controller.Store;

/// <summary>
/// Everything the controller keeps, behind a database-neutral interface: one repository per entity kind
/// plus named settings (opaque bytes, used for key material and the CA).
/// </summary>
internal interface IControllerStore : IAsyncDisposable
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

    /// <summary>
    /// Stores every setting in <paramref name="settings"/> in one transaction unless one of them exists already;
    /// of several controllers creating the same settings at once, exactly one succeeds.
    /// </summary>
    /// <returns>True when they were stored; false when any of them existed (then nothing was written).</returns>
    Task<bool> TryAddSettingsAsync(IReadOnlyDictionary<string, byte[]> settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revocations created after position <paramref name="sequence"/> of the revocation feed, in feed order, at most
    /// <paramref name="limit"/>. Positions are assigned in commit order, so a reader that resumes after the last
    /// position it saw misses nothing, whichever controller it reads through.
    /// </summary>
    Task<IReadOnlyList<RevocationRecord>> ReadRevocationsAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: every write it makes through the store it is handed
    /// happens, or none does (when it throws). Only that store may be used inside.
    /// </summary>
    Task<T> InTransactionAsync<T>(Func<IControllerStore, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default);
}
