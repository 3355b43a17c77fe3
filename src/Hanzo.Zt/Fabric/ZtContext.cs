using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Hanzo.Zt.Billing;
using Hanzo.Zt.Configuration;
using Hanzo.Zt.Events;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// An identity's way into the fabric: authenticates with the controller, lists services, dials them and binds
/// them. API sessions are renewed and recovered on their own; router links are shared by dials and binds,
/// re-established when lost, and binds renewed. Made by the composition root (<c>AddHanzoZt()</c>, or
/// <see cref="ConnectAsync(ZtConfig, CancellationToken)"/> without a host), which adds billing to it.
/// </summary>
public sealed partial class ZtContext : IAsyncDisposable
{
    private readonly Channel<ZtEvent> _events = Channel.CreateBounded<ZtEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly FabricIdentity _identity;
    private readonly ControllerClient _controller;
    private readonly RouterLinks _links;
    private readonly BillingGate? _gate;
    private readonly ConnectionMeter _meter;
    private readonly string? _billingAccount;
    private readonly TimeSpan _connectTimeout;
    private readonly NatTraversal.INatTraversal? _nat;
    private readonly ILoggerFactory _loggers;
    private readonly List<ZtListener> _listeners = new();
    private IAsyncDisposable? _owner;
    private int _disposed;

    /// <summary>Creates a context for <paramref name="identity"/>, without billing (the composition root adds it).</summary>
    public ZtContext(ZtIdentity identity, ZtContextOptions? options = null)
        : this(Enrolled(identity, options ?? new ZtContextOptions()), options ?? new ZtContextOptions(), gate: null, meter: null, loggers: options?.LoggerFactory)
    {
    }

    internal ZtContext((FabricIdentity Identity, ControllerClient Controller) access, ZtContextOptions options, BillingGate? gate, UsageMeter? meter, ILoggerFactory? loggers)
    {
        _identity = access.Identity;
        _controller = access.Controller;
        _controller.Event += Raise;
        _gate = gate;
        _billingAccount = options.BillingAccount;
        _connectTimeout = options.ConnectTimeout;
        _nat = options.NatTraversal;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _links = new RouterLinks(_identity, options.ConnectTimeout, Raise);
        _meter = new ConnectionMeter(meter, Raise, _loggers.CreateLogger("Hanzo.Zt.Billing"));
    }

    /// <summary>Creates a context from an OpenZiti-style identity file, without billing (the composition root adds it).</summary>
    public static ZtContext FromIdentityFile(string path, ZtContextOptions? options = null) => new(IdentityFile.Load(path), options);

    /// <summary>
    /// The fabric without a host: the same composition root as <c>AddHanzoZt()</c> (identity or credentials,
    /// controller, billing with its durable outbox and delivery) built from <paramref name="config"/>. Disposing the
    /// context closes its connections, records their usage and delivers what it can.
    /// </summary>
    /// <exception cref="ZtConfigurationException">Billing is on and the configuration names no billing provider.</exception>
    public static Task<ZtContext> ConnectAsync(ZtConfig config, CancellationToken cancellationToken = default) =>
        DependencyInjection.ZtFabric.ConnectAsync(config, cancellationToken);

    /// <summary>Enrolls with a one-time token and writes the identity file; returns its path.</summary>
    public static async Task<string> EnrollAsync(string jwt, string identityPath, CancellationToken cancellationToken = default)
    {
        var result = await Enrollment.EnrollAsync(jwt, cancellationToken).ConfigureAwait(false);
        IdentityFile.Save(identityPath, result.Controller, result.KeyPem, result.CertificatePem, result.CaPem);
        return identityPath;
    }

    /// <summary>The identity this context acts as: the enrolled one, or the last certificate issued after a JWT sign-in (null before it).</summary>
    public ZtIdentity? Identity => _identity.Current;

    /// <summary>The controller this context talks to.</summary>
    public Uri ControllerUrl => _controller.Url;

    /// <summary>What happens: authentications, router links, sessions, billing.</summary>
    public ChannelReader<ZtEvent> Events => _events.Reader;

    private void Raise(ZtEvent e)
    {
        ObserveRouter(e);
        _events.Writer.TryWrite(e);
    }

    /// <summary>Authenticates (done on demand by every other call) and, after a JWT sign-in, gets a certificate.</summary>
    public async Task AuthenticateAsync(CancellationToken cancellationToken = default)
    {
        await _controller.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
        await _identity.GetAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The services this identity may see.</summary>
    public Task<IReadOnlyList<ZtService>> GetServicesAsync(CancellationToken cancellationToken = default) => _controller.GetServicesAsync(cancellationToken);

    /// <summary>
    /// Opens a connection to <paramref name="service"/>: the balance check first, then a Dial session, a circuit
    /// through a router to a host that bound the service, and TLS end to end with that host.
    /// </summary>
    /// <exception cref="ZtInsufficientBalanceException">The billing account has no positive balance.</exception>
    /// <exception cref="ZtBillingException">The billing provider cannot be reached (dials fail closed).</exception>
    /// <exception cref="ZtAccessDeniedException">No Dial policy grants this identity the service.</exception>
    /// <exception cref="ZtServiceNotFoundException">No such service is visible.</exception>
    /// <exception cref="ZtConnectionException">No router or host could be reached.</exception>
    private async Task<ZtConnection> DialCoreAsync(string service, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var (identityId, identityName) = await ControllerIdentityAsync(cancellationToken).ConfigureAwait(false);
        string account = _billingAccount ?? identityName;
        if (_gate is not null)
        {
            await _gate.EnsureAllowedAsync(account, cancellationToken).ConfigureAwait(false);
        }

        var session = await _controller.GetSessionAsync(service, SessionType.Dial, fresh: false, cancellationToken).ConfigureAwait(false);
        var verifier = await _controller.GetVerifierAsync(cancellationToken).ConfigureAwait(false);
        var identity = await _identity.GetAsync(cancellationToken).ConfigureAwait(false);
        Exception? last = null;
        bool renewed = false;
        for (int i = 0; i < session.Routers.Count; i++)
        {
            var router = session.Routers[i];
            try
            {
                var link = await _links.GetAsync(router, cancellationToken).ConfigureAwait(false);
                var (circuit, _) = await link.DialAsync(session.Token, cancellationToken).ConfigureAwait(false);
                var path = new Paths.PathStream(circuit, router);
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                handshake.CancelAfter(_connectTimeout);
                (System.Net.Security.SslStream Tls, byte[] PathKey) e2e;
                try
                {
                    e2e = await EndToEnd.DialAsync(path, identity, session.Service, session.Token, verifier, handshake.Token).ConfigureAwait(false);
                }
                catch
                {
                    await path.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                Raise(new SessionCreatedEvent(DateTimeOffset.UtcNow, session.Id, service, IsBind: false));
                var connection = new ZtConnection(e2e.Tls, path, service, session.Id, ZtCertificates.IdOf((X509Certificate2)e2e.Tls.RemoteCertificate!), _meter);
                _meter.Track(connection, new ConnectionMeter.Dialed(account, identityName, identityId));
                Paths.DirectPaths.Start(_nat, path, router, session.Id, session.Token, initiator: true, e2e.PathKey, _loggers.CreateLogger("Hanzo.Zt.NatTraversal"));
                return connection;
            }
            catch (ZtConnectionException e) when (e.ErrorCode == ZtErrorCode.SessionLimit && !renewed)
            {
                // The cached session has as many circuits as a router allows one token: a new session opens more
                // (it becomes the cached one), from the first router again.
                last = e;
                renewed = true;
                session = await _controller.GetSessionAsync(service, SessionType.Dial, fresh: true, cancellationToken).ConfigureAwait(false);
                i = -1;
            }
            catch (ZtConnectionException e)
            {
                last = e;
            }
        }

        throw last ?? new ZtConnectionException(ZtErrorCode.NoEdgeRouters, $"the controller lists no edge router for service '{service}'");
    }

    /// <summary>Binds <paramref name="service"/> and returns a listener for the connections dialed to it.</summary>
    /// <exception cref="ZtAccessDeniedException">No Bind policy grants this identity the service.</exception>
    public async Task<ZtListener> ListenAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var listener = new ZtListener(service, _controller, _links, _identity, _loggers.CreateLogger<ZtListener>(), Raise, _nat);
        try
        {
            await listener.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await listener.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        return listener;
    }

    /// <summary>Closes every connection this context dialed, recording the usage of each into the outbox.</summary>
    public Task CloseConnectionsAsync() => _meter.CloseAllAsync();

    /// <summary>The resources of the composition root that made this context, released after it.</summary>
    internal void OwnedBy(IAsyncDisposable owner) => _owner = owner;

    private async Task<(string Id, string Name)> ControllerIdentityAsync(CancellationToken cancellationToken)
    {
        if (_controller.Identity is { } known)
        {
            return known;
        }

        await _controller.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
        return _controller.Identity!.Value;
    }

    private static (FabricIdentity, ControllerClient) Enrolled(ZtIdentity identity, ZtContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var controllers = options.ControllersOr(identity.ControllerUrls);
        if (controllers.Count == 0)
        {
            throw new ZtConfigurationException($"identity '{identity.Name}' names no controller (ztAPI) and none was configured");
        }

        return (FabricIdentity.Enrolled(identity), new ControllerClient(controllers, ControllerTrust.Of(identity.CertificateAuthorities[0]), identity.Certificate, options.RequestTimeout));
    }

    /// <summary>Closes listeners, then the connections this context dialed (recording their usage), then router links.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ZtListener[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
            _listeners.Clear();
        }

        foreach (var listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await _meter.CloseAllAsync().ConfigureAwait(false);
        }
        finally
        {
            await _links.DisposeAsync().ConfigureAwait(false);
            _controller.Dispose();
            _events.Writer.TryComplete();
            if (Interlocked.Exchange(ref _owner, null) is { } owner)
            {
                await owner.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
