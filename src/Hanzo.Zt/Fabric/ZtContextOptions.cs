using Hanzo.Zt.Configuration;

namespace Hanzo.Zt.Fabric;

/// <summary>Settings of a <see cref="ZtContext"/> made directly from an identity (values only; the fabric's services come from the composition root).</summary>
public sealed class ZtContextOptions
{
    /// <summary>The controller; defaults to the identity file's <c>ztAPI</c>.</summary>
    public Uri? ControllerUrl { get; set; }

    /// <summary>
    /// The controllers of the cluster, tried in order (a request moves to the next when one cannot be reached); when
    /// empty, <see cref="ControllerUrl"/>, else the identity's <c>ztAPIs</c>/<c>ztAPI</c>.
    /// </summary>
    public IList<Uri> ControllerUrls { get; } = [];

    /// <summary>The controllers to use: <see cref="ControllerUrls"/>, else <see cref="ControllerUrl"/>, else <paramref name="fallback"/>.</summary>
    internal IReadOnlyList<Uri> ControllersOr(IReadOnlyList<Uri> fallback) =>
        ControllerUrls.Count > 0 ? [.. ControllerUrls] : ControllerUrl is { } one ? [one] : fallback;

    /// <summary>The billing account (<c>org/name</c>); defaults to the identity's name as the controller knows it.</summary>
    public string? BillingAccount { get; set; }

    /// <summary>Time allowed to open a link to a router or a connection to a peer.</summary>
    public TimeSpan ConnectTimeout { get; set; } = ZtDefaults.ConnectTimeout;

    /// <summary>
    /// Opens direct paths beside the relay (the composition root sets the registered one, hole punching by default);
    /// null keeps every connection on the relay.
    /// </summary>
    public NatTraversal.INatTraversal? NatTraversal { get; set; }

    /// <summary>Time allowed for a controller request.</summary>
    public TimeSpan RequestTimeout { get; set; } = ZtDefaults.RequestTimeout;

    /// <summary>
    /// Where the context logs (a direct path left for the relay, a usage record that could not be kept); null logs
    /// nothing. The composition root sets the host's.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }
}
