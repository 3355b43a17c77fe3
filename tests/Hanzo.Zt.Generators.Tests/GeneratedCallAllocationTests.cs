using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// A generated call in this process allocates no more than the same call written against the engine: no boxed cap
/// table for parameters and results without capabilities, no state machine for an implementation that completes at
/// once. Counted, not timed: the least allocated over several calls on this thread (a call completes on it).
/// </summary>
public sealed class GeneratedCallAllocationTests
{
    private sealed class Twice : IWork
    {
        public ValueTask<int> TwiceAsync(int value, CancellationToken cancellationToken) => ValueTask.FromResult(value * 2);

        public ValueTask RecordAsync(int value, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask RangeAsync(int count, Work.RangeResults.Builder results, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>twice, written directly against the engine.</summary>
    private sealed class HandWrittenTwice : IZapServer
    {
        public ValueTask DispatchAsync(ZapCallContext context)
        {
            int value = context.Params.ReadInt32(0);
            context.InitResults(1, 0).WriteInt32(0, value * 2);
            return ValueTask.CompletedTask;
        }
    }

    private static int GeneratedCall(WorkClient work)
    {
        using var call = work.Twice(21);
        var awaiter = call.GetAwaiter();
        awaiter.IsCompleted.ShouldBeTrue();
        return awaiter.GetResult();
    }

    private static int HandWrittenCall(ZapCapability work)
    {
        using var request = work.NewCall(Work.InterfaceId, 0);
        request.InitParams(1, 0).WriteInt32(0, 21);
        using var promise = request.Send();
        var pending = promise.ResponseAsync();
        pending.IsCompleted.ShouldBeTrue();
        using var response = pending.Result;
        return response.Results.ReadInt32(0);
    }

    private static long LeastAllocated(Func<int> call)
    {
        for (int i = 0; i < 20; i++)
        {
            call().ShouldBe(42);
        }

        long least = long.MaxValue;
        for (int i = 0; i < 50; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int result = call();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            result.ShouldBe(42);
        }

        return least;
    }

    [Fact]
    public void A_local_generated_call_allocates_no_more_than_the_hand_written_one()
    {
        using var generated = WorkClient.Serve(new Twice());
        using var handWritten = ZapCapability.FromServer(new HandWrittenTwice());

        long generatedBytes = LeastAllocated(() => GeneratedCall(generated));
        long handWrittenBytes = LeastAllocated(() => HandWrittenCall(handWritten));

        generatedBytes.ShouldBeLessThanOrEqualTo(handWrittenBytes);
    }
}
