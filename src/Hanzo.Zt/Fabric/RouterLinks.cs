using Hanzo.Zt.Events;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// The router links of one identity, one per router, shared by its dials and binds. A link that was lost is
/// replaced by a new one the next time it is asked for.
/// </summary>
internal sealed class RouterLinks(FabricIdentity identity, TimeSpan connectTimeout, Action<ZtEvent> raise) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<Uri, RouterLink> _links = new();
    private bool _disposed;

    /// <summary>The open link to <paramref name="router"/>, opened now when there is none.</summary>
    /// <exception cref="ZtConnectionException">The router cannot be reached or refused the link.</exception>
    public async Task<RouterLink> GetAsync(Uri router, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_links.TryGetValue(router, out var existing) && existing.IsOpen)
            {
                return existing;
            }

            var current = await identity.GetAsync(cancellationToken).ConfigureAwait(false);
            var link = await RouterLink.ConnectAsync(router, current, connectTimeout, cancellationToken).ConfigureAwait(false);
            _links[router] = link;
            raise(new RouterConnectedEvent(DateTimeOffset.UtcNow, router.Authority, router));
            _ = link.Completion.ContinueWith(
                t => raise(new RouterDisconnectedEvent(DateTimeOffset.UtcNow, router.Authority, t.Result?.Message ?? "closed")),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return link;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        RouterLink[] links;
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            links = [.. _links.Values];
            _links.Clear();
        }
        finally
        {
            _lock.Release();
        }

        foreach (var link in links)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
