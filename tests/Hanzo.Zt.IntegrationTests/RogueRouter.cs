using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// A compromised router: enrolled with the controller like any other (so hosts bind on it), but it checks no
/// session token and splices whoever it likes to a bound host. Used to prove that hosts, not routers, have the
/// last word on who reaches a service.
/// </summary>
internal sealed class RogueRouter : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2 _ca;
    private readonly TaskCompletionSource<(EdgeLink Link, string ServiceId)> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<uint, EdgeCircuit> _circuits = [];
    private readonly Dictionary<uint, TaskCompletionSource> _dialed = [];
    private readonly CancellationTokenSource _stop = new();
    private int _nextCircuit = 0x1000;

    private RogueRouter(Socket listener, X509Certificate2 certificate, X509Certificate2 ca)
    {
        _listener = listener;
        _certificate = certificate;
        _ca = ca;
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>Registers and enrolls a router record at a free loopback port, and listens there.</summary>
    public static async Task<RogueRouter> StartAsync(ProcessFabric fabric, X509Certificate2 ca)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var url = new Uri($"tls://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}");
        string jwt = await fabric.Admin.CreateRouterAsync("rogue-" + Guid.NewGuid().ToString("N")[..6], url);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = new CertificateRequest("", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var http = new HttpClient(ZtTls.ControllerHandler(ca)) { BaseAddress = fabric.ControllerUrl };
        using var response = await http.PostAsync($"/edge/client/v1/enroll?method=erott&token={CompactJws.Parse(jwt).GetClaim("jti")}",
            new StringContent(csr, Encoding.ASCII, "application/x-pem-file"));
        string body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        using var issued = X509Certificate2.CreateFromPem(JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("cert").GetString());
        using var withKey = issued.CopyWithPrivateKey(key);
        var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new RogueRouter(listener, certificate, ca);
    }

    /// <summary>Waits until a host binds a service here; returns the service id.</summary>
    public async Task<string> WaitForBindAsync() => (await _bound.Task.WaitAsync(TimeSpan.FromSeconds(60))).ServiceId;

    /// <summary>
    /// Splices <paramref name="attacker"/> to the bound host without any Dial session check, runs the end-to-end TLS
    /// handshake as the attacker, presents <paramref name="token"/> as its Dial session, and returns what the host
    /// answers: its Bind token when it accepts the dialer, or null when it closes the circuit on it.
    /// </summary>
    public async Task<string?> DialAsAsync(X509Certificate2 attacker, string serviceName, string token)
    {
        var (link, serviceId) = await _bound.Task;
        uint id = (uint)Interlocked.Increment(ref _nextCircuit);
        var circuit = new EdgeCircuit(link, id);
        var dialed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_circuits)
        {
            _circuits[id] = circuit;
            _dialed[id] = dialed;
        }

        link.Send(EdgeFrameKind.Connect, id, token: serviceId, peer: ZtCertificates.IdOf(attacker));
        await dialed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The attacker's end speaks the fabric's path layer beneath its TLS, as every endpoint does.
        await using var path = new Hanzo.Zt.Fabric.Paths.PathStream(circuit, new Uri($"tls://{_listener.LocalEndPoint}"));
        await using var tls = new SslStream(path, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(ZtTls.Client(serviceName, attacker, [_ca], ZtTls.EndToEndProtocols)).WaitAsync(TimeSpan.FromSeconds(30));
        var bytes = Encoding.ASCII.GetBytes(token);
        // The token, then the dialer's 32-byte share of the direct path's key.
        var frame = new byte[2 + bytes.Length + 32];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)bytes.Length);
        bytes.CopyTo(frame, 2);
        RandomNumberGenerator.Fill(frame.AsSpan(2 + bytes.Length));
        await tls.WriteAsync(frame);
        await tls.FlushAsync();
        try
        {
            var length = new byte[2];
            await tls.ReadExactlyAsync(length).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await tls.ReadExactlyAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            return Encoding.ASCII.GetString(answer);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ZtException)
        {
            return null;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await tls.AuthenticateAsServerAsync(ZtTls.Server(_certificate, [_ca], ZtTls.LinkProtocols));
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                continue;
            }

            var link = new EdgeLink(tls, OnFrameAsync) { PeerId = ZtCertificates.IdOf((X509Certificate2)tls.RemoteCertificate!) };
            link.Send(EdgeFrameKind.Hello, 0, peer: "hanzo-zt-router");
            link.Start();
        }
    }

    private ValueTask OnFrameAsync(EdgeLink link, EdgeFrame frame)
    {
        EdgeCircuit? circuit;
        lock (_circuits)
        {
            _circuits.TryGetValue(frame.Circuit, out circuit);
        }

        switch (frame.Kind)
        {
            case EdgeFrameKind.Bind:
                string serviceId = CompactJws.Parse(frame.Token).GetClaim(SessionTokenClaims.Names.ServiceId)!;
                link.Send(EdgeFrameKind.Bound, frame.Circuit, token: serviceId);
                _bound.TrySetResult((link, serviceId));
                break;
            case EdgeFrameKind.Dialed:
                lock (_circuits)
                {
                    _dialed.GetValueOrDefault(frame.Circuit)?.TrySetResult();
                }

                break;
            case EdgeFrameKind.Data:
                circuit?.OnData(frame.Payload.Span);
                break;
            case EdgeFrameKind.Credit:
                circuit?.OnCredit(frame.Value);
                break;
            case EdgeFrameKind.Close:
            case EdgeFrameKind.Fault:
                circuit?.OnRemoteClose(frame.Reason, abrupt: true);
                break;
            case EdgeFrameKind.Ping:
                link.Send(EdgeFrameKind.Pong, frame.Circuit, frame.Value);
                break;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        _certificate.Dispose();
        return ValueTask.CompletedTask;
    }
}
