using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Hanzo.Zt.Benchmarks.Rpc;

/// <summary>
/// The one figure the stub-overhead benchmark exists for: the generated stub's call time over the hand-written
/// call's, both in process (client and server each generated or each hand-written), where the stubs are not
/// hidden behind a network round trip. Target: at most 1.05.
/// </summary>
/// <remarks>
/// A call takes about a microsecond and the target is a 5% difference, less than a shared machine's drift between
/// two benchmark runs made one after the other (separate BenchmarkDotNet runs of the two calls gave ratios from 1.00
/// to 1.58 on one machine on one day). So the ratio comes from the two calls timed in alternation: short batches in
/// the order hand-written, generated, generated, hand-written (then the mirror image), a ratio per round, and the
/// median over the rounds. A burst of other work lands in one round's ratio instead of in one side of the result.
/// </remarks>
internal static class StubOverheadReport
{
    private const int Rounds = 101;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(4);

    // For the table of the full short run: more warm-up and iterations than BenchmarkDotNet's short run, and medians.
    private static readonly Job Steady = Job.ShortRun.WithWarmupCount(8).WithIterationCount(21).WithToolchain(InProcessEmitToolchain.Instance);

    /// <summary>
    /// <c>./build.sh bench stub</c>: the four calls of <see cref="StubOverheadBenchmarks"/> as a short BenchmarkDotNet
    /// run in this process (times and allocations), then the ratio from alternating rounds.
    /// </summary>
    public static async Task<int> RunAsync()
    {
        BenchmarkRunner.Run<StubOverheadBenchmarks>(DefaultConfig.Instance.AddJob(Steady));
        await PrintAsync();
        return 0;
    }

    /// <summary>After a BenchmarkDotNet run that included the stub-overhead benchmark, prints the ratio line.</summary>
    public static async Task PrintIfRanAsync(IEnumerable<Summary> summaries)
    {
        if (summaries.Any(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(StubOverheadBenchmarks))))
        {
            await PrintAsync();
        }
    }

    /// <summary>Measures, then prints <c>stub / hand-written: ratio</c> and the spread of the rounds under it.</summary>
    public static async Task<double> PrintAsync()
    {
        var result = await MeasureInChildAsync();
        Console.WriteLine($"stub / hand-written: {result.Median.ToString("F2", CultureInfo.InvariantCulture)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (median of {Rounds} alternating rounds; middle half {result.LowerQuartile:F2} to {result.UpperQuartile:F2}; hand-written call {result.HandWrittenNanoseconds:F0} ns)"));
        return result.Median;
    }

    private const string ResultPrefix = "stub overhead: ";

    /// <summary>
    /// <see cref="MeasureAsync"/> in a process of its own, as BenchmarkDotNet runs each benchmark: both calls share
    /// most of the engine's code, and what ran before in this process (the remote calls of <c>bench rpc</c>, the
    /// BenchmarkDotNet run) shaped the optimized code of the shared parts (profile-guided choices of which type to
    /// expect where) for its own calls rather than for these. In a fresh process both calls warm that code alike.
    /// </summary>
    public static async Task<StubOverhead> MeasureInChildAsync()
    {
        await using var child = ChildProcess.StartSelf("stub-measure");
        var fields = (await child.ReadAfterAsync(ResultPrefix)).Split(' ');
        double Field(int i) => double.Parse(fields[i], CultureInfo.InvariantCulture);
        return new StubOverhead(Field(0), Field(1), Field(2), Field(3));
    }

    /// <summary>The <c>stub-measure</c> mode: <see cref="MeasureAsync"/>, printed for <see cref="MeasureInChildAsync"/>.</summary>
    public static async Task<int> MeasureAndPrintAsync()
    {
        var r = await MeasureAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}{r.Median:R} {r.LowerQuartile:R} {r.UpperQuartile:R} {r.HandWrittenNanoseconds:R}"));
        return 0;
    }

    /// <summary>Generated over hand-written call time, local calls, from alternating rounds.</summary>
    public static async Task<StubOverhead> MeasureAsync()
    {
        var calls = new StubOverheadBenchmarks();
        await calls.SetupAsync();
        try
        {
            // Warm up both (to the optimized JIT tier), then size a batch to about Batch of hand-written calls.
            var warm = Stopwatch.StartNew();
            long warmCalls = 0;
            while (warm.Elapsed < Warmup)
            {
                await TimeAsync(calls, generated: false, 1000);
                await TimeAsync(calls, generated: true, 1000);
                warmCalls += 1000;
            }

            int batch = (int)Math.Max(100, warmCalls * Batch.Ticks / Warmup.Ticks);
            var ratios = new double[Rounds];
            long handTicks = 0;
            for (int round = 0; round < Rounds; round++)
            {
                // ABBA, and BAAB on odd rounds: a drift within the round weighs on both sides alike.
                bool handFirst = round % 2 == 0;
                long first = await TimeAsync(calls, generated: !handFirst, batch);
                long second = await TimeAsync(calls, generated: handFirst, batch);
                long third = await TimeAsync(calls, generated: handFirst, batch);
                long fourth = await TimeAsync(calls, generated: !handFirst, batch);
                long hand = handFirst ? first + fourth : second + third;
                long generated = handFirst ? second + third : first + fourth;
                ratios[round] = (double)generated / hand;
                handTicks += hand;
            }

            Array.Sort(ratios);
            double handNanoseconds = handTicks * 1e9 / Stopwatch.Frequency / (2.0 * batch * Rounds);
            return new StubOverhead(ratios[Rounds / 2], ratios[Rounds / 4], ratios[3 * Rounds / 4], handNanoseconds);
        }
        finally
        {
            await calls.CleanupAsync();
        }
    }

    private static async Task<long> TimeAsync(StubOverheadBenchmarks calls, bool generated, int count)
    {
        long start = Stopwatch.GetTimestamp();
        if (generated)
        {
            for (int i = 0; i < count; i++)
            {
                await calls.LocalGenerated();
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                await calls.LocalHandWritten();
            }
        }

        return Stopwatch.GetTimestamp() - start;
    }
}

/// <summary>The stub overhead: the median ratio of alternating rounds, its quartiles, and the hand-written call's mean time.</summary>
internal readonly record struct StubOverhead(double Median, double LowerQuartile, double UpperQuartile, double HandWrittenNanoseconds);
