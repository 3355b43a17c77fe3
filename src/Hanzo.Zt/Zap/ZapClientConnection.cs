using Hanzo.Zt.Zap;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// The channel behind a typed ZAP client registered with <c>AddZapClient&lt;T&gt;</c>: the client exists from the
/// start (so it can be constructor-injected anywhere, hosted services included), connects on its first call and
/// connects again after the connection is lost. See <see cref="ZapChannel"/>.
/// </summary>
public sealed class ZapClientConnection<T> : IAsyncDisposable
    where T : class
{
    internal ZapClientConnection(ZapChannel channel)
    {
        Channel = channel;
        Client = channel.CreateClient<T>();
    }

    /// <summary>The channel the client calls through.</summary>
    public ZapChannel Channel { get; }

    /// <summary>The typed client; usable at once.</summary>
    public T Client { get; }

    /// <summary>Connects now (calls connect on their own) and returns the client.</summary>
    /// <exception cref="ZtConnectionException">The endpoint cannot be reached.</exception>
    public async Task<T> ConnectAsync(CancellationToken cancellationToken = default)
    {
        await Channel.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return Client;
    }

    /// <summary>Releases the client and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        (Client as IDisposable)?.Dispose();
        await Channel.DisposeAsync().ConfigureAwait(false);
    }
}
