using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanzo.Zt.Controller.Store;

/// <summary>
/// The columns every stored entity has: id, a unique name, an optimistic-concurrency version, timestamps
/// and free-form tags. Subtypes add their own fields, and may name a lookup key (unique, e.g. a token hash)
/// and an owner (e.g. the identity of an API session) that the store indexes.
/// </summary>
internal abstract record StoredEntity
{
    /// <summary>The entity's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The entity's name, unique among entities of its kind (entities without a name use their id).</summary>
    public string Name { get; init; } = "";

    /// <summary>Incremented by every update; an update based on an older version fails with <see cref="StoreConflictException"/>.</summary>
    public long Version { get; init; }

    /// <summary>When the entity was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the entity last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Free-form tags.</summary>
    public IReadOnlyDictionary<string, JsonElement> Tags { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>A unique secondary key the store indexes, or null.</summary>
    [JsonIgnore] public virtual string? LookupKey => null;

    /// <summary>The API name of the field <see cref="LookupKey"/> holds, for messages.</summary>
    [JsonIgnore] public virtual string LookupField => "lookup";

    /// <summary>The id of the entity this one belongs to, indexed for listing and deleting, or null.</summary>
    [JsonIgnore] public virtual string? OwnerKey => null;
}

/// <summary>Which page of entities to read, optionally filtered by name.</summary>
/// <param name="Limit">At most this many entities.</param>
/// <param name="Offset">Skip this many first.</param>
/// <param name="NameEquals">Only the entity with exactly this name.</param>
/// <param name="NameContains">Only entities whose name contains this text (case-insensitive).</param>
internal sealed record EntityQuery(int Limit = 100, int Offset = 0, string? NameEquals = null, string? NameContains = null);

/// <summary>A page of entities and how many match in all.</summary>
internal sealed record EntityPage<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>An update was based on a version that is no longer current.</summary>
internal sealed class StoreConflictException(string message) : ZtException(ZtErrorCode.Controller, message);

/// <summary>A create or update would give two entities the same name or lookup key.</summary>
internal sealed class StoreDuplicateException(string message, string field) : ZtException(ZtErrorCode.Controller, message)
{
    /// <summary>The field whose value is taken (<c>name</c>, <c>id</c>, or the entity's lookup field).</summary>
    public string Field { get; } = field;
}
