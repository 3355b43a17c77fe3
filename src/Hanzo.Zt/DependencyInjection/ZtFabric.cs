using Hanzo.Zt.Billing;
using Hanzo.Zt.Configuration;
using Hanzo.Zt.Credentials;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// The one composition root of the fabric: a <see cref="ZtContext"/> from options alone (an enrolled identity
/// file, or credentials holding a Hanzo IAM token), with the balance gate and the usage meter when billing is on.
/// <c>AddHanzoZt()</c> registers it; <see cref="ConnectAsync"/> runs the same registration without a host.
/// </summary>
internal static class ZtFabric
{
    /// <summary>The message of a fabric with billing on and no provider.</summary>
    public static string NoProviderMessage =>
        "HanzoZt:Billing is on but no billing provider is registered: add one with AddCommerceBilling() (Hanzo Commerce) "
        + "or AddLedgerBilling() (the embedded ledger), or turn billing off with HanzoZt:Billing:Enabled=false";

    /// <summary>Whether the options describe a fabric at all (an identity file or a controller to sign in to).</summary>
    public static bool IsConfigured(ZtOptions options) =>
        !string.IsNullOrWhiteSpace(options.IdentityFile) || !string.IsNullOrWhiteSpace(options.ControllerUrl) || options.ControllerUrls.Count > 0;

    /// <summary>Makes the context from the options and the registered billing engine.</summary>
    /// <exception cref="ZtConfigurationException">No identity or controller is configured, or billing has no provider.</exception>
    public static ZtContext CreateContext(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ZtOptions>>().Value;
        var contextOptions = new ZtContextOptions
        {
            ControllerUrl = string.IsNullOrWhiteSpace(options.ControllerUrl) ? null : new Uri(options.ControllerUrl),
            BillingAccount = string.IsNullOrWhiteSpace(options.Billing.Account) ? null : options.Billing.Account,
            ConnectTimeout = options.ConnectTimeout,
            RequestTimeout = options.RequestTimeout,
            NatTraversal = services.GetService<NatTraversal.INatTraversal>(),
        };
        foreach (var url in options.ControllerUrls.Where(u => !string.IsNullOrWhiteSpace(u)))
        {
            contextOptions.ControllerUrls.Add(new Uri(url));
        }

        BillingGate? gate = null;
        UsageMeter? meter = null;
        if (options.Billing.Enabled)
        {
            if (services.GetService<IBillingProvider>() is null)
            {
                throw new ZtConfigurationException(NoProviderMessage);
            }

            gate = services.GetRequiredService<BillingGate>();
            meter = services.GetRequiredService<UsageMeter>();
        }

        return new ZtContext(Access(options, contextOptions, services), contextOptions, gate, meter, services.GetService<ILoggerFactory>());
    }

    private static (FabricIdentity, ControllerClient) Access(ZtOptions options, ZtContextOptions contextOptions, IServiceProvider services)
    {
        if (!string.IsNullOrWhiteSpace(options.IdentityFile))
        {
            var identity = IdentityFile.Load(options.IdentityFile);
            var controllers = contextOptions.ControllersOr(identity.ControllerUrls);
            if (controllers.Count == 0)
            {
                throw new ZtConfigurationException($"the identity file '{options.IdentityFile}' names no controller (ztAPI): set HanzoZt:ControllerUrl");
            }

            var trust = string.IsNullOrWhiteSpace(options.ControllerCa) ? ControllerTrust.Of(identity.CertificateAuthorities[0]) : ControllerTrust.FromPem(options.ControllerCa);
            return (FabricIdentity.Enrolled(identity), new ControllerClient(controllers, trust, identity.Certificate, options.RequestTimeout));
        }

        var urls = contextOptions.ControllersOr([]);
        if (urls.Count == 0)
        {
            throw new ZtConfigurationException(
                "the fabric has no identity: set HanzoZt:IdentityFile to an enrolled identity, or HanzoZt:ControllerUrl to sign in with "
                + "a Hanzo IAM token (HanzoZt:ApiKey, HANZO_API_KEY or ~/.hanzo/auth.json)");
        }

        var signIn = new ControllerClient(
            urls,
            string.IsNullOrWhiteSpace(options.ControllerCa) ? ControllerTrust.FromSystemTrust(urls[0], options.RequestTimeout) : ControllerTrust.FromPem(options.ControllerCa),
            services.GetRequiredService<ICredentialSource>(),
            options.RequestTimeout);
        return (FabricIdentity.SignedIn(signIn), signIn);
    }

    /// <summary>The fabric of <paramref name="config"/> without a host: <c>AddHanzoZt()</c> over a private container.</summary>
    public static async Task<ZtContext> ConnectAsync(ZtConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var services = new ServiceCollection();
        services.AddHanzoZt(o =>
        {
            o.ControllerUrl = config.ControllerUrl?.ToString();
            o.IdentityFile = config.IdentityFile;
            o.ControllerCa = config.ControllerCa;
            o.ConnectTimeout = config.ConnectTimeout;
            o.RequestTimeout = config.RequestTimeout;
            o.Billing.Enabled = config.BillingEnabled;
            o.Billing.Currency = config.Currency;
            o.Billing.Account = config.BillingAccount;
            if (config.OutboxPath is not null) o.Billing.OutboxPath = config.OutboxPath;
        });
        if (config.Credentials is { } credentials)
        {
            services.AddSingleton<ICredentialSource>(new InMemoryCredentialSource(credentials));
        }

        if (config.BillingProvider is { } provider)
        {
            services.AddSingleton(provider);
        }

        var root = new Root(services.BuildServiceProvider());
        try
        {
            await root.StartAsync(cancellationToken).ConfigureAwait(false);
            var context = root.Services.GetRequiredService<ZtContext>();
            context.OwnedBy(root);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => context.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            return context;
        }
        catch
        {
            await root.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A private container and its hosted services (usage delivery), stopped in reverse order.</summary>
    private sealed class Root(ServiceProvider services) : IAsyncDisposable
    {
        private readonly List<IHostedService> _started = [];

        public IServiceProvider Services => services;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var hosted in services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(cancellationToken).ConfigureAwait(false);
                _started.Add(hosted);
            }
        }

        public async ValueTask DisposeAsync()
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            for (int i = _started.Count - 1; i >= 0; i--)
            {
                await _started[i].StopAsync(guard.Token).ConfigureAwait(false);
            }

            await services.DisposeAsync().ConfigureAwait(false);
        }
    }
}
