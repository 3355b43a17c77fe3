using System.Net;

namespace Hanzo.Zt.Zap.Tests;

/// <summary>A <see cref="TestService"/> served on a loopback endpoint, and a client connected to it.</summary>
internal sealed class Loopback : IAsyncDisposable
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private Loopback(TestService service, ZapListener listener, ZapConnection client, ZapCapability bootstrap)
    {
        Service = service;
        Listener = listener;
        Client = client;
        Bootstrap = bootstrap;
    }

    public TestService Service { get; }

    public ZapListener Listener { get; }

    public ZapConnection Client { get; }

    public ZapCapability Bootstrap { get; }

    public static async Task<Loopback> StartAsync(string scheme = "tcp", ZapFraming framing = ZapFraming.Zap, ZapConnectionOptions? serverOptions = null)
    {
        var service = new TestService();
        using var bootstrap = ZapCapability.FromServer(service);
        serverOptions ??= new ZapConnectionOptions();
        serverOptions.Framing = framing;
        string path = scheme == "ws" ? "/zap" : "";
        var listener = await ZapListener.BindAsync(new Uri($"{scheme}://127.0.0.1:0{path}"), bootstrap, serverOptions);
        int port = ((IPEndPoint)listener.EndPoint).Port;
        var client = await ZapClient.ConnectAsync(new Uri($"{scheme}://127.0.0.1:{port}{path}"), new ZapConnectionOptions { Framing = framing });
        return new Loopback(service, listener, client, client.Bootstrap());
    }

    public ZapPromise Call(ushort method, Action<ZapRequest>? build = null, CancellationToken cancellationToken = default)
    {
        using var request = Bootstrap.NewCall(TestService.Id, method);
        if (build is null)
        {
            request.InitParams(0, 0);
        }
        else
        {
            build(request);
        }

        return request.Send(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Bootstrap.Dispose();
        await Client.DisposeAsync();
        await Listener.DisposeAsync();
    }
}
