using Hanzo.Zt.Controller;
using Hanzo.Zt.Router;

namespace Hanzo.Zt.Testing;

/// <summary>Adjusts the parts a <see cref="ZtTestNetwork"/> starts.</summary>
public sealed class ZtTestNetworkOptions
{
    /// <summary>Adjusts the controller (lifetimes, clock); its data directory and URL are the network's.</summary>
    public Action<ControllerOptions>? ConfigureController { get; set; }

    /// <summary>Adjusts the router (a relay observer, the controller poll interval); its addresses are the network's.</summary>
    public Action<RouterOptions>? ConfigureRouter { get; set; }

    /// <summary>The administrator's password (user <c>admin</c>); a random one when null.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Whether to start the billing ledger (an HTTP server speaking Hanzo Commerce's billing API). On by default.</summary>
    public bool StartLedger { get; set; } = true;
}
