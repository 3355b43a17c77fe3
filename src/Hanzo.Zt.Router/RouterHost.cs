using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Edge.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Router;

/// <summary>
/// An edge router, in this process: enrolled with the controller, listening for mutual-TLS edge links whose
/// client certificates chain to the controller's CA, are in date and are not revoked.
/// </summary>
public sealed partial class RouterHost : IAsyncDisposable
{
    private readonly RouterCredentials _credentials;
    private readonly ControllerFeed _feed;
    private readonly Switchboard _switchboard;
    private readonly CircuitMeter? _meter;
    private readonly Socket _listener;
    private readonly AddressReflector _reflector;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Task _polling;

    private RouterHost(RouterCredentials credentials, ControllerFeed feed, Switchboard switchboard, CircuitMeter? meter, Socket listener, AddressReflector reflector, RouterOptions options, ILogger logger)
    {
        _reflector = reflector;
        _meter = meter;
        _credentials = credentials;
        _feed = feed;
        _switchboard = switchboard;
        _listener = listener;
        _logger = logger;
        _feed.Revoked += OnRevoked;
        _feed.Checked += _switchboard.Enforce;
        _switchboard.StartCheckpoints();
        _accepting = Task.Run(AcceptLoopAsync);
        _polling = Task.Run(() => _feed.PollAsync(options.ControllerPollInterval, _stop.Token));
    }

    /// <summary>The bound edge listener address.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>The UDP address reflector: the edge listener's IP and port number.</summary>
    public IPEndPoint ReflectorEndPoint => _reflector.EndPoint;

    /// <summary>The router's id (its certificate's subject).</summary>
    public string RouterId => ZtCertificates.IdOf(_credentials.Certificate);

    /// <summary>How many circuits are spliced now.</summary>
    public int CircuitCount => _switchboard.CircuitCount;

    /// <summary>
    /// Enrolls (first start) or loads the router's credentials, fetches the controller's keys and revocations,
    /// and starts listening.
    /// </summary>
    /// <exception cref="ZtIdentityException">Not enrolled and no enrollment token, or enrollment refused.</exception>
    /// <exception cref="ZtControllerException">The controller cannot be reached for its signing keys.</exception>
    public static async Task<RouterHost> StartAsync(RouterOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Listen.Scheme != "tls" || options.Listen.Port < 0)
        {
            throw new ZtConfigurationException($"the edge listener '{options.Listen}' must be tls://host:port");
        }

        var logger = loggers?.CreateLogger("Hanzo.Zt.Router") ?? NullLogger.Instance;
        var credentials = await RouterCredentials.LoadOrEnrollAsync(options, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Uri> controllers = options.ControllerUrls.Count > 0 ? [.. options.ControllerUrls] : [credentials.ControllerUrl];
        var feed = new ControllerFeed(credentials.Ca, controllers, logger);
        try
        {
            await feed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            feed.Dispose();
            throw new ZtControllerException($"no controller ({string.Join(", ", controllers)}) can be reached for its signing keys: {e.Message}", innerException: e);
        }

        var address = IPAddress.TryParse(options.Listen.Host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(options.Listen.Host, cancellationToken).ConfigureAwait(false))[0];
        var (listener, reflector) = Bind(new IPEndPoint(address, options.Listen.Port), feed, logger);
        var announced = new UriBuilder(options.Listen) { Port = ((IPEndPoint)listener.LocalEndPoint!).Port }.Uri;
        await ListenerAnnouncement.AnnounceAsync(credentials, controllers, announced, logger, cancellationToken).ConfigureAwait(false);
        var meter = options.UsageMeter is { } usage
            ? new CircuitMeter(usage, ZtCertificates.IdOf(credentials.Certificate), loggers?.CreateLogger("Hanzo.Zt.Router.Metering") ?? NullLogger.Instance)
            : null;
        return new RouterHost(credentials, feed, new Switchboard(feed, options, logger, meter), meter, listener, reflector, options, logger);
    }

    /// <summary>
    /// Binds the edge listener (TCP) and the address reflector (UDP) on the same IP and port number. With port 0 the
    /// kernel's pick for TCP may be taken for UDP: then another pick is tried.
    /// </summary>
    private static (Socket Listener, AddressReflector Reflector) Bind(IPEndPoint endPoint, ControllerFeed feed, ILogger logger)
    {
        for (int attempt = 1; ; attempt++)
        {
            var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(endPoint);
                listener.Listen(1024);
                return (listener, AddressReflector.Start((IPEndPoint)listener.LocalEndPoint!, feed, logger));
            }
            catch (SocketException) when (endPoint.Port == 0 && attempt < 10)
            {
                listener.Dispose();
            }
            catch (SocketException e)
            {
                listener.Dispose();
                feed.Dispose();
                throw new ZtConfigurationException($"the edge listener {endPoint} (TCP, and UDP for address reflection) cannot be bound: {e.Message}", e);
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            _ = Task.Run(() => HandshakeAsync(socket));
        }
    }

    private async Task HandshakeAsync(Socket socket)
    {
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await tls.AuthenticateAsServerAsync(
                ZtTls.Server(_credentials.Certificate, [_credentials.Ca], ZtTls.LinkProtocols, peer => !IsRevoked(peer)),
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            Log.HandshakeFailed(_logger, e.Message);
            await tls.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var identity = ZtCertificates.IdOf((X509Certificate2)tls.RemoteCertificate!);
        var link = new EdgeLink(tls, _switchboard.OnFrameAsync) { PeerId = identity };
        _switchboard.Add(link);
        _switchboard.Admit(link, (X509Certificate2)tls.RemoteCertificate!);
        link.Send(EdgeFrameKind.Hello, 0, peer: "hanzo-zt-router");
        link.Start();
        var reason = await link.Completion.ConfigureAwait(false);
        _switchboard.Remove(link, reason is null ? "the peer's link to the router closed" : $"the peer's link to the router was lost: {reason.Message}");
    }

    private bool IsRevoked(X509Certificate2 peer) =>
        _feed.IsRevoked(RevocationTypes.Identity, ZtCertificates.IdOf(peer)) || _feed.IsRevoked(RevocationTypes.Certificate, ZtCertificates.SerialOf(peer));

    private void OnRevoked(IReadOnlyList<string> keys)
    {
        // Circuits, binds and certificate links are checked by Switchboard.Enforce at every poll; identities here.
        foreach (var key in keys.Where(k => k.StartsWith("IDENTITY:", StringComparison.Ordinal)))
        {
            foreach (var link in _switchboard.LinksOf(key["IDENTITY:".Length..]))
            {
                Log.CutOff(_logger, link.PeerId);
                link.Close(new ZtAccessDeniedException($"identity '{link.PeerId}' was revoked"));
            }
        }
    }

    /// <summary>Stops listening and closes every link.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _switchboard.StopGuards();
        await _switchboard.StopCheckpointsAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _reflector.DisposeAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        try
        {
            await _polling.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var link in _switchboard.AllLinks())
        {
            link.Close();
            _switchboard.Remove(link, "the router stopped");
        }

        if (_meter is not null)
        {
            await _meter.DrainAsync().ConfigureAwait(false);
        }

        _feed.Dispose();
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Debug, "edge TLS handshake failed: {Reason}")]
        public static partial void HandshakeFailed(ILogger logger, string reason);

        [LoggerMessage(41, LogLevel.Warning, "identity {Identity} was revoked: its links are closed")]
        public static partial void CutOff(ILogger logger, string identity);
    }
}
