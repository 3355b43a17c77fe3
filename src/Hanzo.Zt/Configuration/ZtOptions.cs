using Hanzo.Zt.Billing;

namespace Hanzo.Zt.Configuration;

/// <summary>
/// Options bound from the <c>HanzoZt</c> configuration section by <c>AddHanzoZt()</c> and validated at
/// start. For configuration built by hand, use <see cref="ZtConfig.CreateBuilder"/>.
/// </summary>
public sealed class ZtOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "HanzoZt";

    /// <summary>
    /// The controller's base URL, e.g. <c>https://ctrl.example.com:1280</c>. Overrides the identity file's
    /// <c>ztAPI</c>; required when signing in with credentials.
    /// </summary>
    public string? ControllerUrl { get; set; }

    /// <summary>
    /// The controllers of a cluster (<c>HanzoZt:ControllerUrls</c>), tried in order: requests move to the next when one
    /// cannot be reached. When set, <see cref="ControllerUrl"/> is not needed.
    /// </summary>
    public IList<string> ControllerUrls { get; set; } = [];

    /// <summary>
    /// A Hanzo IAM token (JWT) to sign in with when there is no <see cref="IdentityFile"/>: the controller checks it
    /// (<c>ext-jwt</c>) and issues a short-lived certificate. When unset, credentials resolve as every Hanzo SDK
    /// resolves them: <c>HANZO_API_KEY</c>, then <c>$HOME/.hanzo/auth.json</c>.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Path of an enrolled identity file (<c>ztAPI</c>, <c>id:{key, cert, ca}</c>); when set, the fabric uses its certificate.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>
    /// The controller's CA certificate (a PEM file, or PEM text) for signing in with credentials. When unset, it is
    /// fetched from the controller over TLS the system trusts. (An identity file carries its own.)
    /// </summary>
    public string? ControllerCa { get; set; }

    /// <summary>How long to wait for a connection (controller, router, peer) to open.</summary>
    public TimeSpan ConnectTimeout { get; set; } = ZtDefaults.ConnectTimeout;

    /// <summary>How long to wait for a controller request to complete.</summary>
    public TimeSpan RequestTimeout { get; set; } = ZtDefaults.RequestTimeout;

    /// <summary>Billing gate and metering.</summary>
    public ZtBillingOptions Billing { get; set; } = new();
}
