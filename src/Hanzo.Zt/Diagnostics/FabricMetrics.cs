using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Diagnostics;

/// <summary>The fabric's instruments: dials, their latency, open connections and their bytes.</summary>
internal static class FabricMetrics
{
    private static readonly Counter<long> Dials = ZtDiagnostics.Meter.CreateCounter<long>(ZtDiagnostics.Dials, "{dial}", "Dials attempted");
    private static readonly Histogram<double> DialDuration = ZtDiagnostics.Meter.CreateHistogram<double>(ZtDiagnostics.DialDuration, "s", "How long dials took");
    private static readonly UpDownCounter<long> Active = ZtDiagnostics.Meter.CreateUpDownCounter<long>(ZtDiagnostics.ActiveConnections, "{connection}", "Connections open now");
    private static readonly Counter<long> Bytes = ZtDiagnostics.Meter.CreateCounter<long>(ZtDiagnostics.Bytes, "By", "Payload bytes of closed connections");

    /// <summary>Starts the span of a dial (null when nobody listens).</summary>
    public static Activity? StartDial(string service)
    {
        var activity = ZtDiagnostics.ActivitySource.StartActivity(ZtDiagnostics.DialActivity, ActivityKind.Client);
        activity?.SetTag("zt.service", service);
        return activity;
    }

    /// <summary>Records a finished dial: <paramref name="error"/> is null when it succeeded.</summary>
    public static void Dialed(string service, long startedAt, Activity? activity, Exception? error)
    {
        string outcome = error switch
        {
            null => "ok",
            ZtException zt => zt.ErrorCode.ToString(),
            OperationCanceledException => "canceled",
            _ => "error",
        };
        var tags = new TagList { { "zt.service", service }, { "zt.outcome", outcome } };
        Dials.Add(1, tags);
        DialDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tags);
        if (activity is not null)
        {
            activity.SetTag("zt.outcome", outcome);
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
            }
        }
    }

    public static void Opened(string service) => Active.Add(1, new KeyValuePair<string, object?>("zt.service", service));

    public static void Closed(ZtConnection connection)
    {
        var service = new KeyValuePair<string, object?>("zt.service", connection.Service);
        Active.Add(-1, service);
        Bytes.Add(connection.BytesSent, service, new KeyValuePair<string, object?>("zt.direction", "sent"));
        Bytes.Add(connection.BytesReceived, service, new KeyValuePair<string, object?>("zt.direction", "received"));
    }
}
