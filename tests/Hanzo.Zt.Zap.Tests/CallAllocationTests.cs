using Xunit.Abstractions;
using System.Runtime.CompilerServices;

namespace Hanzo.Zt.Zap.Tests;

/// <summary>Allocation budget of a steady-state call, client and server in this process over loopback TCP.</summary>
/// <remarks>
/// Counted with <see cref="GC.GetTotalAllocatedBytes"/> over many calls (every thread of the process, since a
/// call crosses several), so the collection runs alone. Bytes, not time: a busy machine does not change it.
/// </remarks>
[Collection(nameof(CallAllocationTests))]
[CollectionDefinition(nameof(CallAllocationTests), DisableParallelization = true)]
public sealed class CallAllocationTests(ITestOutputHelper output)
{
    private const int Calls = 20_000;

    /// <summary>
    /// Both sides together. Before pooling a call allocated about 1.5 KB here (about 720 B on the calling side);
    /// the bound leaves room for the runtime's own occasional allocations but fails if per-call objects return.
    /// </summary>
    private const long MaxBytesPerCall = 100;

    [Fact]
    public async Task A_steady_state_call_allocates_almost_nothing_on_either_side()
    {
        await using var loop = await Loopback.StartAsync();
        int wrong = await CallManyAsync(loop.Bootstrap, 2_000);

        // Nothing else runs in the loop (an assertion library's own allocations would count).
        long before = GC.GetTotalAllocatedBytes(precise: true);
        wrong += await CallManyAsync(loop.Bootstrap, Calls);
        long perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / Calls;

        output.WriteLine($"allocated bytes per call (client and server): {perCall}");
        wrong.ShouldBe(0);
        perCall.ShouldBeLessThanOrEqualTo(MaxBytesPerCall, $"a call allocated {perCall} bytes");
    }

    /// <summary>Makes <paramref name="count"/> sequential calls; returns how many results were wrong.</summary>
    private static async Task<int> CallManyAsync(ZapCapability target, int count)
    {
        int wrong = 0;
        for (int i = 0; i < count; i++)
        {
            if (await AddAsync(target, i) != 2 * i)
            {
                wrong++;
            }
        }

        return wrong;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> AddAsync(ZapCapability target, int i)
    {
        using var request = target.NewCall(TestService.Id, TestService.Add);
        var p = request.InitParams(1, 0);
        p.WriteInt32(0, i);
        p.WriteInt32(1, i);
        using var response = await request.Send();
        return response.Results.ReadInt32(0);
    }
}
