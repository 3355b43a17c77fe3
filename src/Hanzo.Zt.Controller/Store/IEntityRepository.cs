namespace Hanzo.Zt.Controller.Store;

/// <summary>Storage for one kind of entity. Every write runs in its own transaction.</summary>
internal interface IEntityRepository<T> where T : StoredEntity
{
    /// <summary>The entity with this id, or null.</summary>
    Task<T?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The entity with this name, or null.</summary>
    Task<T?> FindByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The entity with this lookup key, or null.</summary>
    Task<T?> FindByLookupAsync(string lookupKey, CancellationToken cancellationToken = default);

    /// <summary>Every entity, ordered by name.</summary>
    Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Every entity belonging to <paramref name="ownerKey"/>.</summary>
    Task<IReadOnlyList<T>> ListByOwnerAsync(string ownerKey, CancellationToken cancellationToken = default);

    /// <summary>A page of entities ordered by name.</summary>
    Task<EntityPage<T>> QueryAsync(EntityQuery query, CancellationToken cancellationToken = default);

    /// <summary>Inserts an entity; its version becomes 1 and its timestamps now. Returns the stored entity.</summary>
    /// <exception cref="StoreDuplicateException">The name or lookup key is taken.</exception>
    Task<T> CreateAsync(T entity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an entity if its stored version still equals <c>entity.Version</c>; returns the stored entity
    /// with the next version.
    /// </summary>
    /// <exception cref="StoreConflictException">The entity changed (or was deleted) since it was read.</exception>
    /// <exception cref="StoreDuplicateException">The new name or lookup key is taken.</exception>
    Task<T> UpdateAsync(T entity, CancellationToken cancellationToken = default);

    /// <summary>Deletes the entity with this id; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes every entity belonging to <paramref name="ownerKey"/>; returns how many.</summary>
    Task<int> DeleteByOwnerAsync(string ownerKey, CancellationToken cancellationToken = default);
}
