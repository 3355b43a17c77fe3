namespace Hanzo.Zt.Router;

/// <summary>
/// The revocations a router holds (<c>TYPE:target</c>), each until it stops mattering: an entry whose subject has
/// expired anyway (a session token, a certificate) is pruned, so the set does not grow for the router's lifetime.
/// Not thread-safe; the feed guards it.
/// </summary>
internal sealed class RevocationSet
{
    private readonly Dictionary<string, DateTimeOffset?> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool Contains(string key) => _entries.ContainsKey(key);

    /// <summary>Adds an entry; false when it was held already.</summary>
    public bool Add(string key, DateTimeOffset? expiresAt)
    {
        if (_entries.ContainsKey(key))
        {
            return false;
        }

        _entries[key] = expiresAt;
        return true;
    }

    /// <summary>Drops entries that expired before <paramref name="now"/>; returns how many.</summary>
    public int Prune(DateTimeOffset now)
    {
        var expired = _entries.Where(e => e.Value is { } at && at <= now).Select(e => e.Key).ToList();
        foreach (var key in expired)
        {
            _entries.Remove(key);
        }

        return expired.Count;
    }
}
