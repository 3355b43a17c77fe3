using System.Threading.Channels;
using Hanzo.Zt.Billing;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Events;
using Hanzo.Zt.Identity;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Fabric;

/// <summary>Settings of a <see cref="ZtContext"/>.</summary>
public sealed class ZtContextOptions
{
    /// <summary>The controller; defaults to the identity file's <c>ztAPI</c>.</summary>
    public Uri? ControllerUrl { get; set; }

    /// <summary>
    /// The controllers of the cluster, tried in order (a request moves to the next when one cannot be reached); when
    /// empty, <see cref="ControllerUrl"/>, else the identity's <c>ztAPIs</c>/<c>ztAPI</c>.
    /// </summary>
    public IList<Uri> ControllerUrls { get; } = [];

    /// <summary>The balance gate every dial passes first; null when billing is handled elsewhere.</summary>
    public BillingGate? BillingGate { get; set; }

    /// <summary>Where each closed connection's usage goes; null to not meter.</summary>
    public UsageMeter? UsageMeter { get; set; }

    /// <summary>The billing account (<c>org/name</c>); defaults to the identity's name.</summary>
    public string? BillingAccount { get; set; }
}

/// <summary>
/// An identity's way into the fabric: authenticates with the controller, lists services, dials them and binds
/// them. API sessions are renewed and recovered on their own; router links are re-established and binds renewed.
/// </summary>
public sealed class ZtContext : IAsyncDisposable
{
    private readonly ZtContextOptions _options;
    private readonly Channel<ZtEvent> _events = Channel.CreateBounded<ZtEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly SemaphoreSlim _edgeLock = new(1, 1);
    private readonly Dictionary<Uri, RouterLink> _edges = new();
    private readonly List<ZtListener> _listeners = new();

    /// <summary>Creates a context for <paramref name="identity"/>.</summary>
    public ZtContext(ZtIdentity identity, ZtContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        _options = options ?? new ZtContextOptions();
        IReadOnlyList<Uri> controllers = _options.ControllerUrls.Count > 0 ? [.. _options.ControllerUrls]
            : _options.ControllerUrl is { } one ? [one]
            : identity.ControllerUrls;
        Controller = new ControllerClient(identity, controllers);
        Controller.Event += Raise;
    }

    /// <summary>Creates a context from an OpenZiti-style identity file.</summary>
    public static ZtContext FromIdentityFile(string path, ZtContextOptions? options = null) => new(IdentityFile.Load(path), options);

    /// <summary>Enrolls with a one-time token and writes the identity file; returns its path.</summary>
    public static async Task<string> EnrollAsync(string jwt, string identityPath, CancellationToken cancellationToken = default)
    {
        var result = await Enrollment.EnrollAsync(jwt, cancellationToken).ConfigureAwait(false);
        IdentityFile.Save(identityPath, result.Controller, result.KeyPem, result.CertificatePem, result.CaPem);
        return identityPath;
    }

    /// <summary>The identity this context acts as.</summary>
    public ZtIdentity Identity { get; }

    internal ControllerClient Controller { get; }

    /// <summary>What happens: authentications, router links, sessions, billing.</summary>
    public ChannelReader<ZtEvent> Events => _events.Reader;

    internal void Raise(ZtEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Authenticates with the identity's certificate (done on demand by every other call).</summary>
    public Task AuthenticateAsync(CancellationToken cancellationToken = default) => Controller.AuthenticateAsync(cancellationToken);

    /// <summary>The services this identity may see.</summary>
    public Task<IReadOnlyList<ZtService>> GetServicesAsync(CancellationToken cancellationToken = default) => Controller.GetServicesAsync(cancellationToken);

    /// <summary>
    /// Opens a connection to <paramref name="service"/>: the balance check first, then a Dial session, a circuit
    /// through a router to a host that bound the service, and TLS end to end with that host.
    /// </summary>
    /// <exception cref="ZtInsufficientBalanceException">The billing account has no positive balance.</exception>
    /// <exception cref="ZtBillingException">The billing provider cannot be reached (dials fail closed).</exception>
    /// <exception cref="ZtAccessDeniedException">No Dial policy grants this identity the service.</exception>
    /// <exception cref="ZtServiceNotFoundException">No such service is visible.</exception>
    /// <exception cref="ZtConnectionException">No router or host could be reached.</exception>
    public async Task<ZtConnection> DialAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        string account = await BillingAccountAsync(cancellationToken).ConfigureAwait(false);
        if (_options.BillingGate is { } gate)
        {
            await gate.EnsureAllowedAsync(account, cancellationToken).ConfigureAwait(false);
        }

        var session = await Controller.GetSessionAsync(service, SessionType.Dial, fresh: false, cancellationToken).ConfigureAwait(false);
        var verifier = await Controller.GetVerifierAsync(cancellationToken).ConfigureAwait(false);
        Exception? last = null;
        foreach (var router in session.Routers)
        {
            try
            {
                var edge = await GetEdgeAsync(router, cancellationToken).ConfigureAwait(false);
                var (circuit, _) = await edge.DialAsync(session.Token, cancellationToken).ConfigureAwait(false);
                var tls = await EndToEnd.DialAsync(circuit, Identity, session.Service, session.Token, verifier, cancellationToken).ConfigureAwait(false);
                Raise(new SessionCreatedEvent(DateTimeOffset.UtcNow, session.Id, service, IsBind: false));
                return new ZtConnection(tls, circuit, service, session.Id, ZtCertificates.IdOf((System.Security.Cryptography.X509Certificates.X509Certificate2)tls.RemoteCertificate!), c => MeterAsync(c, account));
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
        var listener = new ZtListener(this, service);
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

    private async Task<string> BillingAccountAsync(CancellationToken cancellationToken)
    {
        if (_options.BillingAccount is { } account)
        {
            return account;
        }

        if (Controller.Identity is null)
        {
            await Controller.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
        }

        return Controller.Identity!.Value.Name;
    }

    private async Task<RouterLink> GetEdgeAsync(Uri router, CancellationToken cancellationToken)
    {
        await _edgeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_edges.TryGetValue(router, out var existing) && existing.Link.IsOpen)
            {
                return existing;
            }

            var edge = await RouterLink.ConnectAsync(router, Identity, cancellationToken).ConfigureAwait(false);
            _edges[router] = edge;
            Raise(new RouterConnectedEvent(DateTimeOffset.UtcNow, router.Authority, router));
            return edge;
        }
        finally
        {
            _edgeLock.Release();
        }
    }

    private async ValueTask MeterAsync(ZtConnection connection, string account)
    {
        Raise(new SessionClosedEvent(DateTimeOffset.UtcNow, connection.SessionId, connection.Service, "closed"));
        if (_options.UsageMeter is not { } meter)
        {
            return;
        }

        // One record per connection: the session id is shared by every dial of a cached session.
        string connectionId = connection.SessionId + "/" + Guid.NewGuid().ToString("N");
        await meter.RecordAsync(new UsageRecord
        {
            RequestId = UsageMeter.RequestIdFor(connectionId),
            Account = account,
            Service = connection.Service,
            SessionId = connectionId,
            Identity = Identity.Name,
            BytesSent = connection.BytesSent,
            BytesReceived = connection.BytesReceived,
            Duration = connection.Duration,
            StartedAt = connection.StartedAt,
        }).ConfigureAwait(false);
    }

    /// <summary>Closes listeners and router links.</summary>
    public async ValueTask DisposeAsync()
    {
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

        foreach (var edge in _edges.Values)
        {
            await edge.DisposeAsync().ConfigureAwait(false);
        }

        Controller.Dispose();
        _events.Writer.TryComplete();
    }
}
