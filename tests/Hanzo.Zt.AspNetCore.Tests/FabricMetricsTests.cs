using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hanzo.Zt.Diagnostics;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Http;

namespace Hanzo.Zt.AspNetCore.Tests;

/// <summary>The <c>Hanzo.Zt</c> meter and activity source, observed while an HttpClient calls a service over ZT.</summary>
public sealed class FabricMetricsTests(ServedOverZtFixture fixture) : IClassFixture<ServedOverZtFixture>, IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ConcurrentQueue<Activity> _dials = new();
    private MeterListener? _meters;
    private ActivityListener? _spans;

    [Fact]
    public async Task A_request_over_ZT_counts_one_dial_its_latency_and_the_connection_bytes()
    {
        Listen();
        await using (var context = ZtContext.FromIdentityFile(fixture.Service.Client.IdentityFile))
        using (var http = new HttpClient(ZtHttpHandler.Create(context)) { BaseAddress = new Uri($"http://{fixture.Service.Name}/") })
        {
            (await http.GetStringAsync("hello/metrics").WaitAsync(Guard)).ShouldBe("hello metrics over HTTP/1.1");
            Of(ZtDiagnostics.ActiveConnections).Sum().ShouldBe(1);
        }

        var dials = Of(ZtDiagnostics.Dials, ("zt.outcome", "ok"));
        dials.Sum().ShouldBe(1);
        Of(ZtDiagnostics.DialDuration).Count.ShouldBe(1);
        Of(ZtDiagnostics.ActiveConnections).Sum().ShouldBe(0);
        Of(ZtDiagnostics.Bytes, ("zt.direction", "sent")).Sum().ShouldBeGreaterThan(0);
        Of(ZtDiagnostics.Bytes, ("zt.direction", "received")).Sum().ShouldBeGreaterThan(0);
        var span = _dials.ShouldHaveSingleItem();
        span.GetTagItem("zt.outcome").ShouldBe("ok");
        span.Kind.ShouldBe(ActivityKind.Client);
    }

    [Fact]
    public async Task A_refused_dial_counts_with_its_error_code_and_an_error_span()
    {
        Listen();
        var stranger = await fixture.Network.CreateIdentityAsync("metrics-stranger-" + Guid.NewGuid().ToString("N")[..6]);
        await using var context = ZtContext.FromIdentityFile(stranger.IdentityFile);

        var error = await Should.ThrowAsync<ZtException>(context.DialAsync(fixture.Service.Name).WaitAsync(Guard));

        Of(ZtDiagnostics.Dials, ("zt.outcome", error.ErrorCode.ToString())).Sum().ShouldBe(1);
        Of(ZtDiagnostics.Dials, ("zt.outcome", "ok")).ShouldBeEmpty();
        _dials.ShouldHaveSingleItem().Status.ShouldBe(ActivityStatusCode.Error);
    }

    /// <summary>Measurements of <paramref name="instrument"/> for this fixture's service (and the given tag).</summary>
    private List<double> Of(string instrument, (string Key, string Value)? tag = null) =>
        _measurements
            .Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("zt.service"), fixture.Service.Name))
            .Where(m => tag is null || Equals(m.Tags.GetValueOrDefault(tag.Value.Key), tag.Value.Value))
            .Select(m => m.Value)
            .ToList();

    private void Listen()
    {
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ZtDiagnostics.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();

        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ZtDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == ZtDiagnostics.DialActivity && Equals(activity.GetTagItem("zt.service"), fixture.Service.Name))
                {
                    _dials.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_spans);
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }

    public void Dispose()
    {
        _meters?.Dispose();
        _spans?.Dispose();
    }
}
