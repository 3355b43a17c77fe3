namespace Hanzo.Zt.Zap.Tests;

/// <summary>
/// Many callers at once completing, canceling, abandoning and pipelining calls, so pooled questions, answers,
/// responses and call states are returned and reused while other calls race with them. Every result must be the
/// caller's own, and the connection must stay usable.
/// </summary>
public sealed class PoolingStressTests
{
    private const int Workers = 8;
    private const int Rounds = 250;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completing_canceling_abandoning_and_pipelining_at_once_never_mixes_up_results(bool local)
    {
        await using var target = await PooledViewTests.Target.StartAsync(local);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                int a = (w * Rounds) + i;
                try
                {
                    await OneRoundAsync(target, a, i % 6).WaitAsync(Loopback.Guard);
                }
                catch (Exception e)
                {
                    failures.Enqueue($"worker {w} round {i}: {e}");
                }
            }
        })));

        failures.ShouldBeEmpty();
        using var after = await target.Add(1000, 1);
        after.Results.ReadInt32(0).ShouldBe(1001);
    }

    private static async Task OneRoundAsync(PooledViewTests.Target target, int a, int kind)
    {
        switch (kind)
        {
            case 0:
                // A plain call: the result must be this call's.
                using (var response = await target.Add(a, a))
                {
                    Expect(response.Results.ReadInt32(0), 2 * a);
                }

                break;
            case 1:
                // Abandoned at once: the call is canceled or its result dropped.
                target.Add(a, 1).Dispose();
                break;
            case 2:
                // Canceled while (or after) running: fails as canceled, or completes with the right result.
                using (var cancel = new CancellationTokenSource())
                {
                    var promise = CallLater(target.Capability, a, cancel.Token);
                    await Task.Yield();
                    cancel.Cancel();
                    try
                    {
                        using var response = await promise;
                        Expect(response.Results.ReadInt32(0), a);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                break;
            case 3:
                // Pipelined: a call on a capability the results will hold, then the results themselves.
                using (var promise = NewRecorder(target.Capability))
                {
                    using var recorder = promise.GetPipelinedCapability(0);
                    Expect((int)await Recorder.CallAsync(recorder, (uint)a), a * 10);
                    using var response = await promise;
                    response.CapabilityCount.ShouldBe(1);
                }

                break;
            case 4:
                // Disposed while awaited: the await fails (the promise let go) or gives this call's result.
                var disposed = target.Add(a, 5);
                var awaiting = disposed.ResponseAsync().AsTask();
                disposed.Dispose();
                try
                {
                    using var response = await awaiting;
                    Expect(response.Results.ReadInt32(0), a + 5);
                }
                catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
                {
                }

                break;
            default:
                // Awaited twice: the second await fails, the first result is intact.
                var twice = target.Add(a, 3);
                using (var response = await twice)
                {
                    await Should.ThrowAsync<InvalidOperationException>(async () => await twice);
                    Expect(response.Results.ReadInt32(0), a + 3);
                }

                break;
        }
    }

    private static ZapPromise CallLater(ZapCapability target, int value, CancellationToken cancellationToken)
    {
        using var request = target.NewCall(TestService.Id, TestService.Later);
        request.InitParams(1, 0).WriteInt32(0, value);
        return request.Send(cancellationToken);
    }

    private static ZapPromise NewRecorder(ZapCapability target)
    {
        using var request = target.NewCall(TestService.Id, TestService.NewRecorder);
        request.InitParams(0, 0);
        return request.Send();
    }

    private static void Expect(int actual, int expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"expected {expected}, got {actual}: another call's results");
        }
    }
}
