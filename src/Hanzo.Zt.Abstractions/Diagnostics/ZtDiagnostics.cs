using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hanzo.Zt.Diagnostics;

/// <summary>
/// The one <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> of
/// Hanzo ZT, both named <see cref="Name"/>: subscribe to that name (OpenTelemetry <c>AddMeter("Hanzo.Zt")</c> and
/// <c>AddSource("Hanzo.Zt")</c>, or <c>dotnet-counters monitor --counters Hanzo.Zt</c>) to see dials, their
/// latency, bytes, active connections, billing decisions, and spans for dials and ZAP calls.
/// </summary>
public static class ZtDiagnostics
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Hanzo.Zt";

    /// <summary>Dials attempted, tagged <c>zt.service</c> and <c>zt.outcome</c> (<c>ok</c> or an error code).</summary>
    public const string Dials = "zt.dials";

    /// <summary>How long dials took, in seconds, tagged as <see cref="Dials"/>.</summary>
    public const string DialDuration = "zt.dial.duration";

    /// <summary>Connections open now, tagged <c>zt.service</c>.</summary>
    public const string ActiveConnections = "zt.connections.active";

    /// <summary>Payload bytes of closed connections, tagged <c>zt.service</c> and <c>zt.direction</c> (<c>sent</c>, <c>received</c>).</summary>
    public const string Bytes = "zt.connection.bytes";

    /// <summary>Balance gate decisions, tagged <c>zt.decision</c> (<c>allowed</c>, <c>insufficient_balance</c>, <c>provider_failed</c>, <c>fail_open</c>).</summary>
    public const string BillingDecisions = "zt.billing.decisions";

    /// <summary>The span of a dial (balance check, session, circuit, end-to-end handshake).</summary>
    public const string DialActivity = "zt.dial";

    /// <summary>The span of a ZAP call, from sending it until its results or failure arrive.</summary>
    public const string ZapCallActivity = "zap.call";

    /// <summary>The meter every Hanzo ZT instrument belongs to.</summary>
    public static Meter Meter { get; } = new(Name, typeof(ZtDiagnostics).Assembly.GetName().Version?.ToString());

    /// <summary>The source of every Hanzo ZT span.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(ZtDiagnostics).Assembly.GetName().Version?.ToString());
}
