using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Configuration;

/// <summary>
/// A complete, validated configuration for a ZT context, built by hand with <see cref="CreateBuilder"/>.
/// Instances are immutable.
/// </summary>
public sealed class ZtConfig
{
    internal ZtConfig(ZtConfigBuilder b, Uri controllerUrl, Uri commerceUrl)
    {
        ControllerUrl = controllerUrl;
        Credentials = b.CredentialsValue;
        IdentityFile = b.IdentityFileValue;
        BillingEnabled = b.BillingEnabledValue;
        CommerceUrl = commerceUrl;
        Currency = b.CurrencyValue;
        ConnectTimeout = b.ConnectTimeoutValue;
        RequestTimeout = b.RequestTimeoutValue;
    }

    /// <summary>Starts a builder with the defaults: billing on, Commerce at <see cref="Billing.ZtBillingOptions.DefaultCommerceUrl"/>, 30 s connect and 15 s request timeouts.</summary>
    public static ZtConfigBuilder CreateBuilder() => new();

    /// <summary>The controller's base URL.</summary>
    public Uri ControllerUrl { get; }

    /// <summary>The credentials to authenticate with, unless an identity file is used.</summary>
    public ZtCredentials? Credentials { get; }

    /// <summary>The identity file to authenticate with, unless credentials are used.</summary>
    public string? IdentityFile { get; }

    /// <summary>Whether dials are gated on balance and sessions metered.</summary>
    public bool BillingEnabled { get; }

    /// <summary>The Hanzo Commerce API base URL.</summary>
    public Uri CommerceUrl { get; }

    /// <summary>The billing currency.</summary>
    public string Currency { get; }

    /// <summary>Time allowed to open a connection.</summary>
    public TimeSpan ConnectTimeout { get; }

    /// <summary>Time allowed for a controller request.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"controller {ControllerUrl}, {(Credentials is null ? $"identity file {IdentityFile}" : Credentials.ToString())}, billing {(BillingEnabled ? "on" : "off")}";
}
