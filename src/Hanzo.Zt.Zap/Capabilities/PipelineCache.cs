namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// The capabilities handed out for each pipelined path of one promise. Asking again for a path returns the same
/// hook while it is alive, so every call on that path — made before or after the promise resolved — goes
/// through one queue and keeps the order it was made in. Entries hold no reference of their own.
/// </summary>
internal sealed class PipelineCache<THook>
    where THook : CapHook
{
    private List<(ushort[] Path, THook Hook)>? _entries;

    /// <summary>A new reference to the live hook for <paramref name="path"/>, or null when there is none.</summary>
    public THook? TryReuse(ushort[] path)
    {
        if (_entries is null)
        {
            return null;
        }

        foreach (var (known, hook) in _entries)
        {
            if (known.AsSpan().SequenceEqual(path) && hook.TryAddRef())
            {
                return hook;
            }
        }

        return null;
    }

    public void Add(ushort[] path, THook hook)
    {
        _entries ??= new List<(ushort[], THook)>(1);
        _entries.RemoveAll(e => e.Path.AsSpan().SequenceEqual(path));
        _entries.Add((path, hook));
    }
}
