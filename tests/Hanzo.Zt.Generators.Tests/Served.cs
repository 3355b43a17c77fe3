using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>A generated client of a server, in this process or across tcp:// on loopback; disposes both ends.</summary>
internal sealed class Served<T>(T client, ZapListener? listener, ZapConnection? connection) : IAsyncDisposable
    where T : IDisposable
{
    public T Client => client;

    public static async Task<Served<T>> StartAsync(IZapServer server, Func<ZapCapability, T> wrap, bool remote)
    {
        using var capability = ZapCapability.FromServer(server);
        if (!remote)
        {
            return new Served<T>(wrap(capability.Clone()), null, null);
        }

        var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), capability);
        var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        return new Served<T>(wrap(connection.Bootstrap()), listener, connection);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (listener is not null)
        {
            await listener.DisposeAsync();
        }
    }
}
