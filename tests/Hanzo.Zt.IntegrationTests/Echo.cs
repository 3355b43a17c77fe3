using System.Text;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>Checks on a connection to an echo host.</summary>
internal static class Echo
{
    /// <summary>Echoes every accepted connection's bytes back until the listener closes.</summary>
    public static async Task ServeAsync(ZtListener listener)
    {
        while (true)
        {
            ZtConnection connection;
            try
            {
                connection = await listener.AcceptAsync();
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                await using (connection)
                {
                    await connection.CopyToAsync(connection);
                }
            });
        }
    }

    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="text"/> and checks the same bytes come back.</summary>
    public static async Task RoundTripAsync(ZtConnection connection, string text)
    {
        var message = Encoding.UTF8.GetBytes(text);
        await connection.WriteAsync(message);
        var echoed = new byte[message.Length];
        await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);
        Encoding.UTF8.GetString(echoed).ShouldBe(text);
    }

    /// <summary>Reads until the connection fails; a clean end of stream is not what the callers expect.</summary>
    public static async Task ReadUntilFailureAsync(ZtConnection connection)
    {
        var buffer = new byte[4096];
        while (await connection.ReadAsync(buffer) > 0)
        {
        }

        throw new ShouldAssertException("the connection ended cleanly instead of failing");
    }
}
