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
internal static class StubOverheadReport
{
    // Both calls take well under a microsecond, so a burst of other work on a shared machine moves one short run's
    // mean by more than the 5% being measured: more warm-up and iterations, and medians rather than means.
    private static readonly Job Steady = Job.ShortRun.WithWarmupCount(8).WithIterationCount(21).WithToolchain(InProcessEmitToolchain.Instance);

    /// <summary>
    /// <c>./build.sh bench stub</c>: only <see cref="StubOverheadBenchmarks"/>, as a short run in this process (no
    /// separate benchmark build: quick, and both sides of the ratio run under the same conditions).
    /// </summary>
    public static int Run()
    {
        var config = DefaultConfig.Instance.AddJob(Steady);
        Print([BenchmarkRunner.Run<StubOverheadBenchmarks>(config)]);
        return 0;
    }

    /// <summary>
    /// For <c>./build.sh bench rpc</c>: the two local benchmarks the ratio compares, as a short quiet run in this
    /// process; returns generated over hand-written median call time.
    /// </summary>
    public static double Measure()
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Steady)
            .AddLogger(BenchmarkDotNet.Loggers.NullLogger.Instance)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .AddFilter(new BenchmarkDotNet.Filters.NameFilter(name => name is nameof(StubOverheadBenchmarks.LocalGenerated) or nameof(StubOverheadBenchmarks.LocalHandWritten)))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<StubOverheadBenchmarks>(config);
        double? generated = Median(summary, nameof(StubOverheadBenchmarks.LocalGenerated));
        double? handWritten = Median(summary, nameof(StubOverheadBenchmarks.LocalHandWritten));
        return generated is { } g && handWritten is { } h && h > 0
            ? g / h
            : throw new InvalidOperationException("the stub-overhead benchmark reported no times");
    }

    /// <summary>Prints <c>stub / hand-written: ratio</c> when the summaries include the stub-overhead benchmark.</summary>
    public static void Print(IEnumerable<Summary> summaries)
    {
        foreach (var summary in summaries)
        {
            double? generated = Median(summary, nameof(StubOverheadBenchmarks.LocalGenerated));
            double? handWritten = Median(summary, nameof(StubOverheadBenchmarks.LocalHandWritten));
            if (generated is { } g && handWritten is { } h && h > 0)
            {
                Console.WriteLine($"stub / hand-written: {(g / h).ToString("F2", CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static double? Median(Summary summary, string method) =>
        summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Median;
}
