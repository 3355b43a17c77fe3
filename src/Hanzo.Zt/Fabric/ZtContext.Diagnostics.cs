using System.Diagnostics;
using Hanzo.Zt.Diagnostics;
using Hanzo.Zt.Events;

namespace Hanzo.Zt.Fabric;

/// <summary>What a context measures of itself: dial spans and metrics, and the state of its router links.</summary>
public sealed partial class ZtContext
{
    private readonly Dictionary<string, (bool Up, string? Reason)> _routerStates = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens a connection to <paramref name="service"/>: the balance check first, then a Dial session, a circuit
    /// through a router to a host that bound the service, and TLS end to end with that host. Each dial is a
    /// <c>zt.dial</c> span and counts in the <c>zt.dials</c> and <c>zt.dial.duration</c> metrics.
    /// </summary>
    /// <exception cref="ZtInsufficientBalanceException">The billing account has no positive balance.</exception>
    /// <exception cref="ZtBillingException">The billing provider cannot be reached (dials fail closed).</exception>
    /// <exception cref="ZtAccessDeniedException">No Dial policy grants this identity the service.</exception>
    /// <exception cref="ZtServiceNotFoundException">No such service is visible.</exception>
    /// <exception cref="ZtConnectionException">No router or host could be reached.</exception>
    public async Task<ZtConnection> DialAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        long started = Stopwatch.GetTimestamp();
        using var activity = FabricMetrics.StartDial(service);
        try
        {
            var connection = await DialCoreAsync(service, cancellationToken).ConfigureAwait(false);
            FabricMetrics.Dialed(service, started, activity, error: null);
            return connection;
        }
        catch (Exception e)
        {
            FabricMetrics.Dialed(service, started, activity, e);
            throw;
        }
    }

    /// <summary>The routers this context has linked to (for dials and binds), and whether each link is up now.</summary>
    internal IReadOnlyList<RouterLinkState> GetRouterLinks()
    {
        lock (_routerStates)
        {
            return [.. _routerStates.Select(r => new RouterLinkState(r.Key, r.Value.Up, r.Value.Reason))];
        }
    }

    /// <summary>The account this context's dials are billed to.</summary>
    internal async Task<string> GetBillingAccountAsync(CancellationToken cancellationToken) =>
        _billingAccount ?? (await ControllerIdentityAsync(cancellationToken).ConfigureAwait(false)).Name;

    private void ObserveRouter(ZtEvent e)
    {
        switch (e)
        {
            case RouterConnectedEvent connected:
                lock (_routerStates)
                {
                    _routerStates[connected.RouterName] = (true, null);
                }

                break;
            case RouterDisconnectedEvent disconnected:
                lock (_routerStates)
                {
                    _routerStates[disconnected.RouterName] = (false, disconnected.Reason);
                }

                break;
        }
    }
}

/// <summary>A router link's state as a context last saw it.</summary>
internal readonly record struct RouterLinkState(string Router, bool Up, string? Reason);
