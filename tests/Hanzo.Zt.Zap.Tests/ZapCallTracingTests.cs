using System.Collections.Concurrent;
using System.Diagnostics;
using Hanzo.Zt.Diagnostics;

namespace Hanzo.Zt.Zap.Tests;

/// <summary>Every ZAP call sent is a <c>zap.call</c> span of the <c>Hanzo.Zt</c> activity source.</summary>
public sealed class ZapCallTracingTests : IDisposable
{
    private readonly ActivitySource _test = new("Hanzo.Zt.Zap.Tests.Tracing");
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Activity>> _stopped = new();
    private readonly ActivityListener _listener;

    public ZapCallTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ZtDiagnostics.Name || source == _test,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == ZtDiagnostics.ZapCallActivity && activity.ParentId is { } parent)
                {
                    _stopped.GetOrAdd(parent, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task A_call_is_a_span_under_the_callers_activity_that_ends_with_its_results()
    {
        await using var loop = await Loopback.StartAsync();
        using var root = _test.StartActivity("test-root")!;

        using var response = await loop.Call(TestService.Add, r =>
        {
            var p = r.InitParams(1, 0);
            p.WriteInt32(0, 1);
            p.WriteInt32(1, 2);
        });
        var span = await StoppedUnderAsync(root);

        response.Results.ReadInt32(0).ShouldBe(3);
        span.Kind.ShouldBe(ActivityKind.Client);
        span.GetTagItem("zap.method_id").ShouldBe(TestService.Add);
        span.Status.ShouldBe(ActivityStatusCode.Unset);
        Activity.Current.ShouldBe(root);
    }

    [Fact]
    public async Task A_failed_call_is_a_span_with_error_status()
    {
        await using var loop = await Loopback.StartAsync();
        using var root = _test.StartActivity("test-root")!;

        var failing = loop.Call(TestService.Fail, r =>
        {
            var p = r.InitParams(1, 1);
            p.WriteUInt16(0, (ushort)ZapExceptionType.Failed);
            p.WriteText(0, "broken on purpose");
        });
        await Should.ThrowAsync<ZapException>(async () => (await failing).Dispose());
        var span = await StoppedUnderAsync(root);

        span.Status.ShouldBe(ActivityStatusCode.Error);
        span.StatusDescription.ShouldNotBeNull().ShouldContain("broken on purpose");
    }

    private Task<Activity> StoppedUnderAsync(Activity root) =>
        _stopped.GetOrAdd(root.Id!, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(Loopback.Guard);

    public void Dispose()
    {
        _listener.Dispose();
        _test.Dispose();
    }
}
