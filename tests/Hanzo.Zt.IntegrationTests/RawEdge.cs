using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// An edge link to a real router that speaks the frames by hand, for peers that misbehave on purpose (ignore
/// credit, never answer a dial, bind without limit). Every frame the router sends is kept, in order.
/// </summary>
internal sealed class RawEdge : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly Channel<(EdgeFrameKind Kind, uint Circuit, ulong Value, string Reason)> _frames = Channel.CreateUnbounded<(EdgeFrameKind, uint, ulong, string)>();

    private RawEdge()
    {
    }

    public EdgeLink Link { get; private set; } = null!;

    public static async Task<RawEdge> ConnectAsync(Uri router, ZtIdentity identity)
    {
        var edge = new RawEdge();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(router.Host, router.Port);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(ZtTls.Client(router.Host, identity.Certificate, identity.CertificateAuthorities, ZtTls.LinkProtocols));
        edge.Link = new EdgeLink(tls, edge.OnFrameAsync);
        edge.Link.Start();
        return edge;
    }

    /// <summary>
    /// Connects as the host identity of <paramref name="setup"/> and binds its service. Nothing is answered or read
    /// on the host's behalf: a connect waits until the test answers it, and data is never granted credit.
    /// </summary>
    public static async Task<RawEdge> BindAsync(ProcessFabric fabric, ServiceSetup setup)
    {
        string token = await SessionTokenAsync(fabric.ControllerUrl, setup.HostIdentity, setup.Service, "Bind");
        var host = await ConnectAsync(fabric.RouterUrl, IdentityFile.Load(setup.HostIdentity));
        host.Link.Send(EdgeFrameKind.Bind, 1, token: token);
        var bound = await host.NextAsync(EdgeFrameKind.Bound, EdgeFrameKind.Fault);
        bound.Kind.ShouldBe(EdgeFrameKind.Bound, bound.Reason);
        return host;
    }

    /// <summary>The next frame of one of <paramref name="kinds"/> (others are skipped).</summary>
    public async Task<(EdgeFrameKind Kind, uint Circuit, ulong Value, string Reason)> NextAsync(params EdgeFrameKind[] kinds)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            var frame = await _frames.Reader.ReadAsync(guard.Token);
            if (kinds.Contains(frame.Kind))
            {
                return frame;
            }
        }
    }

    private ValueTask OnFrameAsync(EdgeLink link, EdgeFrame frame)
    {
        if (frame.Kind == EdgeFrameKind.Ping)
        {
            link.Send(EdgeFrameKind.Pong, frame.Circuit, frame.Value);
        }

        _frames.Writer.TryWrite((frame.Kind, frame.Circuit, frame.Value, frame.Kind is EdgeFrameKind.Close or EdgeFrameKind.Fault ? frame.Reason : ""));
        return ValueTask.CompletedTask;
    }

    /// <summary>A session token of the identity in <paramref name="identityFile"/>, asked of the controller with its certificate.</summary>
    public static async Task<string> SessionTokenAsync(Uri controller, string identityFile, string service, string type)
    {
        var identity = IdentityFile.Load(identityFile);
        using var http = new HttpClient(ZtTls.ControllerHandler(identity.CertificateAuthorities[0], identity.Certificate)) { BaseAddress = controller };
        using var login = await http.PostAsJsonAsync("/edge/client/v1/authenticate?method=cert", new { });
        var loginJson = await login.Content.ReadFromJsonAsync<JsonElement>();
        login.IsSuccessStatusCode.ShouldBeTrue(loginJson.ToString());
        http.DefaultRequestHeaders.Add("zt-session", loginJson.GetProperty("data").GetProperty("token").GetString());
        using var session = await http.PostAsJsonAsync("/edge/client/v1/sessions", new { serviceName = service, type });
        var sessionJson = await session.Content.ReadFromJsonAsync<JsonElement>();
        session.IsSuccessStatusCode.ShouldBeTrue(sessionJson.ToString());
        return sessionJson.GetProperty("data").GetProperty("token").GetString()!;
    }

    public async ValueTask DisposeAsync() => await Link.DisposeAsync();
}
