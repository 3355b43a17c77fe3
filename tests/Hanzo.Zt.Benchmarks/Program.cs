using BenchmarkDotNet.Running;
using Hanzo.Zt.Benchmarks.Controller;
using Hanzo.Zt.Benchmarks.Fabric;
using Hanzo.Zt.Benchmarks.Rpc;
using Hanzo.Zt.Benchmarks.Nat;

// ./build.sh bench [BenchmarkDotNet arguments], e.g. --filter '*Read*'. With no arguments every BenchmarkDotNet
// benchmark runs; the Ratio column compares Cap'n Proto with the Protocol Buffers baseline on the same data.
// ./build.sh bench rpc   ZAP against the reference C++ RPC and grpc-dotnet, with ratios (servers run as child
//                        processes of this program in the zap-serve and grpc-serve modes).
// ./build.sh bench fabric  the fabric: throughput through the router against plain TCP and TLS loopback, 16
//                        parallel streams, warm dial latency and memory per idle circuit, with ratios
//                        (add throughput, dial or memory to run one part).
// ./build.sh bench stub  generated stubs against hand-written ZAP calls only (short run), then the line
//                        "stub / hand-written: <ratio>" from the two local calls timed in alternation.
// ./build.sh bench controller  authentications/s and sessions/s for one controller on SQLite and one and two
//                        controllers sharing PostgreSQL (controllers run as child processes), with ratios.
// ./build.sh bench nat   NAT traversal in the network-namespace NAT lab (root, iptables, conntrack): time to a direct
//                        path per NAT pair, the success matrix, and throughput direct against relayed.
return args.FirstOrDefault() switch
{
    "nat" => await NatBenchmark.RunAsync(),
    "rpc" => await RpcBenchmark.RunAsync(),
    "fabric" => await FabricBenchmark.RunAsync(args.ElementAtOrDefault(1)),
    "controller" => await ControllerBenchmark.RunAsync(),
    "zap-serve" => await RpcServers.ServeZapAsync(),
    "grpc-serve" => await RpcServers.ServeGrpcAsync(),
    "stub" => await StubOverheadReport.RunAsync(),
    "stub-measure" => await StubOverheadReport.MeasureAndPrintAsync(),
    _ => await RunBenchmarkDotNetAsync(args),
};

static async Task<int> RunBenchmarkDotNetAsync(string[] args)
{
    // A busy machine can take longer than the default two minutes to build the benchmark project.
    var config = BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(RpcBenchmark).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    await StubOverheadReport.PrintIfRanAsync(summaries);
    return 0;
}
