using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Calculator;
using Grpc.Core;
using Grpc.Net.Client;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Benchmarks.Rpc;

/// <summary>
/// ZAP against the reference C++ RPC (EzRpc) and grpc-dotnet on the same work, an add(1, 2) call over loopback,
/// each server in its own process: sequential round-trip latency (p50/p99) and throughput with 64 calls in flight.
/// </summary>
internal static class RpcBenchmark
{
    private const int Warmup = 2_000;
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(2);
    private const int Sequential = 20_000;
    private const int Pipelined = 200_000;
    private const int InFlight = 64;
    private const int Rounds = 9;
    private const int RoundCalls = 5_000;

    private sealed record Result(string Name, double P50Micros, double P99Micros, double CallsPerSecond, int Collections = -1);

    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> RunAsync()
    {
        // Every process runs with the runtime's default settings unless the caller sets the inline-completions
        // switch itself; the headline latency line says which it was.
        bool inline = Environment.GetEnvironmentVariable(InlineCompletions) == "1";
        string settings = inline ? $"{InlineCompletions}=1" : "default settings";
        Console.WriteLine($"add(1, 2) over loopback ({settings}): {Sequential} sequential round trips, then {Pipelined} calls with {InFlight} in flight");
        Console.WriteLine($"p50 round trip in alternating rounds of {RoundCalls} sequential calls (ZAP and C++ EzRpc in turn, each against its own server):");
        var rounds = await MeasureAlternatingAsync();
        var results = new List<Result>
        {
            await MeasureZapAsync(),
            await MeasureCppAsync(),
            await MeasureGrpcAsync(),
        };

        Console.WriteLine();
        Console.WriteLine($"{"",-22}{"p50 µs",10}{"p99 µs",10}{"calls/s",12}{"client GCs",12}");
        foreach (var r in results)
        {
            // Collections (gen 0 and up) in the calling process during the sequential round trips; -1 when not in this process.
            Console.WriteLine($"{r.Name,-22}{r.P50Micros,10:F1}{r.P99Micros,10:F1}{r.CallsPerSecond,12:F0}{(r.Collections < 0 ? "-" : r.Collections.ToString(CultureInfo.InvariantCulture)),12}");
        }

        Console.WriteLine();
        Console.WriteLine("allocations per call (BenchmarkDotNet MemoryDiagnoser, calling side, server in another process):");
        long allocated = ZapCallAllocations.Measure();
        Console.WriteLine("generated stubs against hand-written calls (local calls in a process of their own, alternating rounds):");
        var stub = await StubOverheadReport.MeasureInChildAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  middle half of the rounds {stub.LowerQuartile:F2} to {stub.UpperQuartile:F2}; hand-written call {stub.HandWrittenNanoseconds:F0} ns"));

        var (zap, cpp, grpc) = (results[0], results[1], results[2]);
        Console.WriteLine();
        Console.WriteLine($"p50 round trip, ZAP / C++ EzRpc ({settings}): {rounds.Median:F2}  (target <= 1.00; middle of {Rounds} alternating rounds, {rounds.Low:F2} to {rounds.High:F2}; the table's single runs {zap.P50Micros / cpp.P50Micros:F2})");
        Console.WriteLine($"p99 round trip / p50, ZAP:           {zap.P99Micros / zap.P50Micros:F2}  (C++ EzRpc {cpp.P99Micros / cpp.P50Micros:F2}; target <= 3.00)");
        Console.WriteLine($"p50 round trip, ZAP / grpc-dotnet:   {zap.P50Micros / grpc.P50Micros:F2}");
        Console.WriteLine($"calls/s in flight, ZAP / C++ EzRpc:  {zap.CallsPerSecond / cpp.CallsPerSecond:F2}");
        Console.WriteLine($"calls/s in flight, ZAP / grpc-dotnet: {zap.CallsPerSecond / grpc.CallsPerSecond:F2}  (target >= 2.50)");
        Console.WriteLine($"allocated bytes per call: {allocated}");
        Console.WriteLine($"stub / hand-written: {stub.Median.ToString("F2", CultureInfo.InvariantCulture)}");
        return 0;
    }

    private static async Task<Result> MeasureZapAsync()
    {
        await using var server = ChildProcess.StartSelf("zap-serve");
        int port = await server.PortAsync();
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://127.0.0.1:{port}"));
        using var calculator = connection.Bootstrap();
        using var add = await GetAddAsync(calculator);
        return await MeasureAsync("ZAP (.NET)", () => ZapAddAsync(add));
    }

    /// <summary>
    /// The p50 ratio measured in rounds that alternate between the two servers, so that a busy spell on a shared
    /// machine lands on both sides of the ratio rather than on whichever ran at the time.
    /// </summary>
    private static async Task<(double Median, double Low, double High)> MeasureAlternatingAsync()
    {
        await using var zapServer = ChildProcess.StartSelf("zap-serve");
        int zapPort = await zapServer.PortAsync();
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://127.0.0.1:{zapPort}"));
        using var calculator = connection.Bootstrap();
        using var add = await GetAddAsync(calculator);
        string peer = BuildCppPeer();
        await using var cppServer = ChildProcess.Start(peer, "calc-serve", "127.0.0.1:0");
        int cppPort = await cppServer.PortAsync();
        await WarmUpAsync(() => ZapAddAsync(add));
        var ratios = new double[Rounds];
        var micros = new double[RoundCalls];
        for (int round = 0; round < Rounds; round++)
        {
            // The order flips every round, so neither side always runs right after the other's client exits.
            double cppP50 = round % 2 == 1 ? (await RunCppClientAsync(peer, cppPort, RoundCalls, 1_000))[0] : 0;
            for (int i = 0; i < RoundCalls; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Check(await ZapAddAsync(add));
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(micros);
            double zapP50 = micros[RoundCalls / 2];
            if (round % 2 == 0)
            {
                cppP50 = (await RunCppClientAsync(peer, cppPort, RoundCalls, 1_000))[0];
            }

            ratios[round] = zapP50 / cppP50;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1}: ZAP {zapP50:F1} µs, C++ EzRpc {cppP50:F1} µs, ratio {ratios[round]:F2}"));
        }

        Array.Sort(ratios);
        return (ratios[Rounds / 2], ratios[0], ratios[^1]);
    }

    internal static async Task<ZapCapability> GetAddAsync(ZapCapability calculator)
    {
        using var request = calculator.NewCall(global::Calculator.Calculator.InterfaceId, 2);
        request.InitParams(1, 0).WriteUInt16(0, (ushort)global::Calculator.Calculator.Operator.Add);
        using var response = await request.Send();
        return response.GetCapability(response.Results.GetPointer(0).GetCapabilityIndex());
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<double> ZapAddAsync(ZapCapability add)
    {
        using var request = add.NewCall(global::Calculator.Calculator.Function.InterfaceId, 0);
        var values = request.InitParams(0, 1).InitList(0, ListElementSize.EightBytes, 2);
        values.SetFloat64(0, 1);
        values.SetFloat64(1, 2);
        using var response = await request.Send();
        return response.Results.ReadFloat64(0);
    }

    private static async Task<Result> MeasureCppAsync()
    {
        string peer = BuildCppPeer();
        await using var server = ChildProcess.Start(peer, "calc-serve", "127.0.0.1:0");
        int port = await server.PortAsync();
        var fields = await RunCppClientAsync(peer, port, Sequential, Pipelined);
        return new Result("C++ EzRpc", fields[0], fields[1], fields[2]);
    }

    private static async Task<Result> MeasureGrpcAsync()
    {
        await using var server = ChildProcess.StartSelf("grpc-serve");
        int port = await server.PortAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var invoker = channel.CreateCallInvoker();
        return await MeasureAsync("grpc-dotnet (unary)", async ValueTask<double> () => (await invoker.AsyncUnaryCall(GrpcAdd.Method, null, default, [1.0, 2.0])).Value);
    }

    private static async Task<Result> MeasureAsync(string name, Func<ValueTask<double>> call)
    {
        await WarmUpAsync(call);
        var micros = new double[Sequential];
        int collections = GC.CollectionCount(0);
        for (int i = 0; i < Sequential; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Check(await call());
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        collections = GC.CollectionCount(0) - collections;
        Array.Sort(micros);
        int remaining = Pipelined;
        long began = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                Check(await call());
            }
        }));
        double seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        return new Result(name, micros[Sequential / 2], micros[Sequential * 99 / 100], Pipelined / seconds, collections);
    }

    /// <summary>Warms up past tiered compilation (its background recompiles would otherwise land in the measured tail).</summary>
    private static async Task WarmUpAsync(Func<ValueTask<double>> call)
    {
        long warmStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < Warmup || Stopwatch.GetElapsedTime(warmStart) < WarmupTime; i++)
        {
            Check(await call());
        }
    }

    /// <summary>Runs the C++ EzRpc client against a server and returns its p50 and p99 (µs) and calls/s.</summary>
    private static async Task<double[]> RunCppClientAsync(string peer, int port, int sequential, int pipelined)
    {
        await using var client = ChildProcess.Start(peer, "bench-client", $"127.0.0.1:{port}", sequential.ToString(CultureInfo.InvariantCulture), pipelined.ToString(CultureInfo.InvariantCulture));
        return (await client.ReadAfterAsync("p50_us="))
            .Split(' ')
            .Select(f => f.Split('=').Last())
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture))
            .ToArray();
    }

    private static void Check(double value)
    {
        if (value != 3)
        {
            throw new InvalidOperationException($"add(1, 2) returned {value}");
        }
    }

    private static string BuildCppPeer()
    {
        string peerDir = Path.Combine(AppContext.BaseDirectory, "Peer");
        string output = Path.Combine(Path.GetTempPath(), "hanzo-zt-bench-peer");
        var build = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(peerDir, "build.sh"), output } })!;
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("building the C++ peer failed (needs g++, capnproto and libcapnp-dev)");
        }

        return Path.Combine(output, "zap-peer");
    }
}
