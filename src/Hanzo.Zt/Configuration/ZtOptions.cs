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

    /// <summary>The controller's base URL, e.g. <c>https://ctrl.example.com:1280</c>.</summary>
    public string? ControllerUrl { get; set; }

    /// <summary>
    /// The controllers of a cluster (<c>HanzoZt:ControllerUrls</c>), tried in order: requests move to the next when one
    /// cannot be reached. When set, <see cref="ControllerUrl"/> is not needed.
    /// </summary>
    public IList<string> ControllerUrls { get; set; } = [];

    /// <summary>
    /// An API key to authenticate with. When unset, credentials resolve as every Hanzo SDK resolves them:
    /// <c>HANZO_API_KEY</c>, then <c>$HOME/.hanzo/auth.json</c>.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Path of an identity file (<c>ztAPI</c>, <c>id:{key, cert, ca}</c>), when this process has an x509 identity.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>How long to wait for a connection (controller, router, peer) to open.</summary>
    public TimeSpan ConnectTimeout { get; set; } = ZtDefaults.ConnectTimeout;

    /// <summary>How long to wait for a controller request to complete.</summary>
    public TimeSpan RequestTimeout { get; set; } = ZtDefaults.RequestTimeout;

    /// <summary>Billing gate and metering.</summary>
    public ZtBillingOptions Billing { get; set; } = new();
}
