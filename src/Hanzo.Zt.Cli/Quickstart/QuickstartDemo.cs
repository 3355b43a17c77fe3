using Hanzo.Zt.Billing;
using Hanzo.Zt.Billing.Ledger;
using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Fabric;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hanzo.Zt.Cli.Quickstart;

/// <summary>
/// The demo's two sides: the host serving <see cref="IDemoGreeter"/> on <c>zt://demo</c> and echoing on <c>zt://echo</c>,
/// and callers whose dials are gated by the ledger balance and whose usage is metered into it.
/// </summary>
internal sealed class QuickstartDemo : IAsyncDisposable
{
    /// <summary>A rate high enough that a few calls cost whole cents: 10 micros a byte each way (1 cent a kilobyte).</summary>
    public static readonly UsageRate DemoRate = new() { MicrosPerGBSent = 10_000_000_000, MicrosPerGBReceived = 10_000_000_000 };

    private readonly ServiceProvider _billing;
    private ServiceProvider? _host;
    private ZtContext? _echoContext;
    private ZtListener? _echo;
    private readonly CancellationTokenSource _stop = new();

    private readonly string _outboxPath;

    public QuickstartDemo(QuickstartNetwork network)
    {
        _outboxPath = Path.Combine(network.DataDirectory, "usage-outbox.db");
        var services = new ServiceCollection();
        services.AddSingleton(network.Ledger.Store);
        services.AddHanzoZt(o =>
            {
                o.Billing.OutboxPath = _outboxPath;
                o.Billing.Rates.Default = DemoRate;
                o.Billing.BalanceCacheDuration = TimeSpan.Zero;
            })
            .AddBilling<LedgerBillingProvider>()
            .AddUsageMetering();
        _billing = services.BuildServiceProvider();
    }

    public BillingGate Gate => _billing.GetRequiredService<BillingGate>();

    public IBillingProvider Provider => _billing.GetRequiredService<IBillingProvider>();

    public UsageOutbox Outbox => _billing.GetRequiredService<UsageOutbox>();

    /// <summary>Binds <c>demo</c> (the ZAP service) and <c>echo</c> as <paramref name="hostIdentityFile"/>.</summary>
    public async Task StartHostAsync(string hostIdentityFile, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => ZtContext.FromIdentityFile(hostIdentityFile));
        services.AddHanzoZt().AddTransport<ZtTransport>().AddZapService<IDemoGreeter, DemoGreeter>("zt://demo");
        _host = services.BuildServiceProvider();
        foreach (var hosted in _host.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken);
        }

        // The service binds in the background: the demo's callers dial only once a router has confirmed the bind.
        foreach (var service in _host.GetServices<IHostedService>().OfType<ZapServiceHost<IDemoGreeter>>())
        {
            await service.WhenBound.WaitAsync(cancellationToken);
        }

        _echoContext = ZtContext.FromIdentityFile(hostIdentityFile);
        _echo = await _echoContext.ListenAsync("echo", cancellationToken);
        _ = EchoAsync(_echo, _stop.Token);
    }

    /// <summary>
    /// A caller built by the SDK's composition root from <paramref name="config"/>, its dials gated on the ledger and
    /// its usage charged to <paramref name="account"/> through the demo's outbox.
    /// </summary>
    public Task<ZtContext> ConnectBilledAsync(Configuration.ZtConfigBuilder config, string account, CancellationToken cancellationToken) =>
        ZtContext.ConnectAsync(config.WithBillingProvider(Provider, account, _outboxPath).Build(), cancellationToken);

    /// <summary>A container calling <c>zt://demo</c> through <paramref name="caller"/>; disposing it closes the connection (and meters it).</summary>
    public static async Task<ServiceProvider> ConnectAsync(ZtContext caller, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(caller);
        services.AddHanzoZt().AddTransport<ZtTransport>().AddZapClient<IDemoGreeter>("zt://demo");
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken);
        }

        return provider;
    }

    /// <summary>What has been charged so far: cents delivered to the ledger, micros carried toward the next cent.</summary>
    public async Task<(long Cents, long CarriedMicros)> ChargedAsync(CancellationToken cancellationToken)
    {
        var status = await Outbox.GetStatusAsync(cancellationToken);
        return (status.DeliveredCents, status.CarriedMicros);
    }

    private static async Task EchoAsync(ZtListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ZtConnection connection;
            try
            {
                connection = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or ZtException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                await using (connection)
                {
                    try
                    {
                        await connection.CopyToAsync(connection, cancellationToken);
                        await connection.CloseWriteAsync();
                    }
                    catch (Exception e) when (e is ZtException or IOException or OperationCanceledException or ObjectDisposedException)
                    {
                        // That caller went away; the others go on.
                    }
                }
            }, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_echo is not null)
        {
            await _echo.DisposeAsync();
        }

        if (_echoContext is not null)
        {
            await _echoContext.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _billing.DisposeAsync();
        _stop.Dispose();
    }
}
