using System.Diagnostics.Metrics;

namespace Hanzo.Zt.Controller.Hosting;

/// <summary>The controller's counters, on the shared <c>Hanzo.Zt</c> meter.</summary>
internal static class ControllerMetrics
{
    private static readonly Meter Meter = new("Hanzo.Zt");

    /// <summary>Authentications, tagged <c>method</c> and <c>outcome</c> (<c>ok</c> or the error code).</summary>
    public static readonly Counter<long> Authentications =
        Meter.CreateCounter<long>("zt.controller.authentications", description: "API session authentications by method and outcome");

    /// <summary>Session requests, tagged <c>type</c> and <c>outcome</c>.</summary>
    public static readonly Counter<long> Sessions =
        Meter.CreateCounter<long>("zt.controller.sessions", description: "Dial and Bind session requests by outcome");

    /// <summary>Certificates issued, tagged <c>source</c> (<c>enroll</c>, <c>erott</c>, <c>api-session</c>).</summary>
    public static readonly Counter<long> CertificatesIssued =
        Meter.CreateCounter<long>("zt.controller.certificates_issued", description: "Certificates signed by the controller CA");
}
