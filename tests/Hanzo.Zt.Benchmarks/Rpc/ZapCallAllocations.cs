using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Benchmarks.Rpc;

/// <summary>
/// What one steady-state remote ZAP call allocates on the calling side, by BenchmarkDotNet's
/// <see cref="MemoryDiagnoser"/>: add(1, 2) to a server in another process, so only the client is counted.
/// </summary>
[MemoryDiagnoser(displayGenColumns: false)]
public class ZapCallAllocations
{
    private ChildProcess? _server;
    private ZapConnection? _connection;
    private ZapCapability? _add;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _server = ChildProcess.StartSelf("zap-serve");
        int port = await _server.PortAsync();
        _connection = await ZapClient.ConnectAsync(new Uri($"tcp://127.0.0.1:{port}"));
        using var calculator = _connection.Bootstrap();
        _add = await RpcBenchmark.GetAddAsync(calculator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _add?.Dispose();
        _connection?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Calls per benchmark invocation: the harness's own cost of awaiting an invocation (about 56 bytes, measured) is
    /// spread over them, so it rounds away; at 100 calls it read as 1 or 2 bytes per call that ZAP did not allocate.
    /// </summary>
    private const int CallsPerInvocation = 1000;

    /// <summary>
    /// add(1, 2) round trips one after another; the async method's own state is pooled so only ZAP is counted.
    /// (The harness awaits each invocation through a queued callback it allocates itself, which is not ZAP's.)
    /// </summary>
    [Benchmark(OperationsPerInvoke = CallsPerInvocation)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<double> RemoteCall()
    {
        double sum = 0;
        for (int i = 0; i < CallsPerInvocation; i++)
        {
            sum += await RpcBenchmark.ZapAddAsync(_add!);
        }

        return sum;
    }

    /// <summary>Runs the benchmark in this process (a short job) and returns the bytes allocated per call.</summary>
    public static long Measure()
    {
        var job = Job.Dry
            .WithToolchain(InProcessNoEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Throughput)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            // 50,000 calls an iteration: the diagnoser counts the whole process, so a one-off allocation elsewhere
            // (a thread the pool adds, say) is spread thin, while anything a call allocates still shows in full.
            .WithInvocationCount(50)
            .WithUnrollFactor(1);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(NullLogger.Instance)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<ZapCallAllocations>(config);
        var report = summary.Reports.Single();
        return report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)
            ?? throw new InvalidOperationException("the memory diagnoser reported nothing");
    }
}
