using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hanzo.Zt.Diagnostics;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing.Tests;

[CollectionDefinition(nameof(BillingGateMetricsTests), DisableParallelization = true)]
public sealed class BillingGateMetricsCollection;

/// <summary>Each balance gate decision counts once in <c>zt.billing.decisions</c>, tagged with what was decided.</summary>
[Collection(nameof(BillingGateMetricsTests))]
public sealed class BillingGateMetricsTests : IDisposable
{
    private readonly ConcurrentQueue<string> _decisions = new();
    private readonly MeterListener _listener = new();

    public BillingGateMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ZtDiagnostics.Name && instrument.Name == ZtDiagnostics.BillingDecisions)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "zt.decision")
                {
                    for (long i = 0; i < value; i++) _decisions.Enqueue((string)tag.Value!);
                }
            }
        });
        _listener.Start();
    }

    [Fact]
    public async Task An_allowed_dial_counts_as_allowed()
    {
        await Gate(account => new BalanceResult(account, "usd", 10, 0, 10)).EnsureAllowedAsync("acme/metrics");

        _decisions.ShouldBe(["allowed"]);
    }

    [Fact]
    public async Task A_refused_dial_counts_as_insufficient_balance()
    {
        await Should.ThrowAsync<ZtInsufficientBalanceException>(async () =>
            await Gate(account => new BalanceResult(account, "usd", 0, 0, 0)).EnsureAllowedAsync("acme/metrics"));

        _decisions.ShouldBe(["insufficient_balance"]);
    }

    [Fact]
    public async Task An_unreachable_provider_counts_as_provider_failed_or_fail_open()
    {
        await Should.ThrowAsync<ZtBillingException>(async () =>
            await Gate(_ => throw new HttpRequestException("no route")).EnsureAllowedAsync("acme/metrics"));
        await Gate(_ => throw new HttpRequestException("no route"), failOpen: true).EnsureAllowedAsync("acme/metrics");

        _decisions.ShouldBe(["provider_failed", "fail_open"]);
    }

    private static BillingGate Gate(Func<string, BalanceResult> answer, bool failOpen = false) =>
        new(new Provider(answer), Options.Create(new ZtBillingOptions { FailOpen = failOpen }));

    public void Dispose() => _listener.Dispose();

    private sealed class Provider(Func<string, BalanceResult> answer) : IBillingProvider
    {
        public ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(answer(account));

        public ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
