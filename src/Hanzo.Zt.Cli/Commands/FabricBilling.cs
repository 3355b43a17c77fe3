using System.CommandLine;
using Hanzo.Zt.Billing;
using Hanzo.Zt.Billing.Commerce;
using Hanzo.Zt.Billing.Ledger;
using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// The billing of a controller or router process (<c>--billing commerce|ledger|off</c>): the billing engine of
/// <c>Hanzo.Zt.Billing</c> over Hanzo Commerce (<c>COMMERCE_URL</c>, <c>COMMERCE_SERVICE_TOKEN</c>, as <c>zt ledger
/// serve</c> also answers) or an embedded ledger directory, with the <c>HanzoZt:Billing</c> options (rate card,
/// cache, fail-open, outbox) read from the environment (<c>HanzoZt__Billing__Rates__Default__MicrosPerGBSent</c>).
/// </summary>
internal sealed class FabricBilling : IAsyncDisposable
{
    public const string Commerce = "commerce";
    public const string Ledger = "ledger";
    public const string Off = "off";

    private readonly ServiceProvider _services;
    private List<IHostedService> _started = [];

    private FabricBilling(ServiceProvider services, string mode)
    {
        _services = services;
        Mode = mode;
    }

    /// <summary><c>commerce</c> or <c>ledger</c>.</summary>
    public string Mode { get; }

    /// <summary>The balance gate, with its per-account cache.</summary>
    public BillingGate Gate => _services.GetRequiredService<BillingGate>();

    /// <summary>Prices usage and writes it to the durable outbox.</summary>
    public UsageMeter Meter => _services.GetRequiredService<UsageMeter>();

    /// <summary>The mode a process runs in when <c>--billing</c> is not given: off, said aloud at start.</summary>
    public const string Unset = "";

    public static Option<string> ModeOption() => new("--billing")
    {
        Description = "How dials are billed: commerce (Hanzo Commerce or zt ledger serve at COMMERCE_URL with COMMERCE_SERVICE_TOKEN), ledger (an embedded ledger in --ledger-dir), or off. Without it billing is off and a warning says so.",
        DefaultValueFactory = _ => Unset,
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (value is Commerce or Ledger or Off) return value;
            result.AddError($"--billing must be commerce, ledger or off, not '{value}'");
            return Off;
        },
    };

    /// <summary>The warning printed when a process runs without billing because <c>--billing</c> was not given.</summary>
    public static string UnsetWarning(string process) =>
        $"warning: zt {process} runs without billing (no --billing): dials are not checked for balance and circuits are not metered; pass --billing commerce|ledger, or --billing off to say so";

    public static Option<string?> LedgerDirectoryOption() => new("--ledger-dir")
    {
        Description = "The embedded ledger's directory, with --billing ledger.",
    };

    /// <summary>
    /// Composes billing for <paramref name="mode"/>; null when it is <c>off</c>. Options are checked here, so a
    /// missing token or a negative rate stops the process at start rather than at the first dial.
    /// </summary>
    /// <exception cref="ZtConfigurationException">The billing configuration is incomplete or invalid.</exception>
    public static FabricBilling? Create(string mode, string? ledgerDirectory, string defaultOutboxPath, ILoggerFactory loggers)
    {
        if (mode is Off or Unset) return null;
        if (mode == Ledger && string.IsNullOrWhiteSpace(ledgerDirectory))
            throw new ZtConfigurationException("--billing ledger needs --ledger-dir, the directory of the embedded ledger");

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ZtBillingOptions>()
            .Bind(configuration.GetSection(ZtBillingOptions.SectionName))
            .PostConfigure(o =>
            {
                o.Enabled = true;
                if (string.IsNullOrWhiteSpace(o.OutboxPath)) o.OutboxPath = defaultOutboxPath;
            });
        var builder = new Builder(services);
        if (mode == Commerce) builder.AddCommerceBilling();
        else builder.AddLedgerBilling(Path.GetFullPath(ledgerDirectory!));

        var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<RateCard>();
            if (mode == Commerce) _ = provider.GetRequiredService<IOptions<CommerceBillingOptions>>().Value;
            else _ = provider.GetRequiredService<IOptions<LedgerBillingOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            provider.Dispose();
            throw new ZtConfigurationException($"--billing {mode}: {string.Join("; ", e.Failures)}", e);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
        return new FabricBilling(provider, mode);
    }

    /// <summary>Starts delivering the outbox to the billing provider in the background.</summary>
    public async Task StartDeliveryAsync(CancellationToken cancellationToken)
    {
        var hosted = _services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(cancellationToken);
        }
        _started = hosted;
    }

    /// <summary>Stops delivery (what is not delivered stays in the outbox for the next start) and closes the outbox.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started)
        {
            await service.StopAsync(CancellationToken.None);
        }
        await _services.DisposeAsync();
    }

    private sealed class Builder(IServiceCollection services) : IZtBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
