using Hanzo.Zt.Billing;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Configuration;

/// <summary>
/// A complete, validated configuration of the fabric for use without a host, built with
/// <see cref="CreateBuilder"/> and turned into a context by <c>ZtContext.ConnectAsync(config)</c>, which builds
/// the same fabric as <c>AddHanzoZt()</c>. Instances are immutable.
/// </summary>
public sealed class ZtConfig
{
    internal ZtConfig(ZtConfigBuilder b, Uri? controllerUrl)
    {
        ControllerUrl = controllerUrl;
        Credentials = b.CredentialsValue;
        IdentityFile = b.IdentityFileValue;
        ControllerCa = b.ControllerCaValue;
        BillingEnabled = b.BillingEnabledValue;
        BillingProvider = b.BillingProviderValue;
        BillingAccount = b.BillingAccountValue;
        OutboxPath = b.OutboxPathValue;
        Currency = b.CurrencyValue;
        ConnectTimeout = b.ConnectTimeoutValue;
        RequestTimeout = b.RequestTimeoutValue;
    }

    /// <summary>Starts a builder with the defaults: billing on, currency <c>usd</c>, 30 s connect and 15 s request timeouts.</summary>
    public static ZtConfigBuilder CreateBuilder() => new();

    /// <summary>The controller's base URL; when null, the identity file's.</summary>
    public Uri? ControllerUrl { get; }

    /// <summary>The credentials (a Hanzo IAM token) to sign in with, unless an identity file is used.</summary>
    public ZtCredentials? Credentials { get; }

    /// <summary>The enrolled identity file to use, unless credentials are used.</summary>
    public string? IdentityFile { get; }

    /// <summary>The controller's CA (PEM file or text) for signing in with credentials; null to fetch it over system-trusted TLS.</summary>
    public string? ControllerCa { get; }

    /// <summary>Whether dials are gated on balance and sessions metered.</summary>
    public bool BillingEnabled { get; }

    /// <summary>The billing provider (required when billing is on).</summary>
    public IBillingProvider? BillingProvider { get; }

    /// <summary>The account charged; null for the identity's name.</summary>
    public string? BillingAccount { get; }

    /// <summary>The usage outbox file; null for the default per application and provider.</summary>
    public string? OutboxPath { get; }

    /// <summary>The billing currency.</summary>
    public string Currency { get; }

    /// <summary>Time allowed to open a connection.</summary>
    public TimeSpan ConnectTimeout { get; }

    /// <summary>Time allowed for a controller request.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"controller {ControllerUrl?.ToString() ?? "(from the identity file)"}, {(Credentials is null ? $"identity file {IdentityFile}" : Credentials.ToString())}, billing {(BillingEnabled ? "on" : "off")}";
}
