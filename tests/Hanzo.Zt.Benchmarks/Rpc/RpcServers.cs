using System.Net;
using Calculator;
using Grpc.AspNetCore.Server.Model;
using Hanzo.Zt.Zap;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Benchmarks.Rpc;

/// <summary>The servers the RPC benchmark starts as child processes, each printing "listening on port N".</summary>
internal static class RpcServers
{
    public static async Task<int> ServeZapAsync()
    {
        using var calculator = ZapCapability.FromServer(new CalculatorServer(new CalculatorService()));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), calculator);
        Console.WriteLine($"listening on port {((IPEndPoint)listener.EndPoint).Port}");
        await WaitForStdinCloseAsync();
        return 0;
    }

    public static async Task<int> ServeGrpcAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IServiceMethodProvider<GrpcAdd.Service>, GrpcAdd.MethodProvider>();
        builder.Services.AddSingleton<GrpcAdd.Service>();
        await using var app = builder.Build();
        app.MapGrpcService<GrpcAdd.Service>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"listening on port {new Uri(address).Port}");
        await WaitForStdinCloseAsync();
        await app.StopAsync();
        return 0;
    }

    /// <summary>Servers live until the benchmark closes their standard input.</summary>
    private static async Task WaitForStdinCloseAsync()
    {
        var buffer = new char[64];
        while (await Console.In.ReadAsync(buffer) > 0)
        {
        }
    }
}
