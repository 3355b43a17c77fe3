using System.Diagnostics;
using System.Security.Cryptography;
using Hanzo.Zt.IntegrationTests;
using Hanzo.Zt.IntegrationTests.NatLab;

namespace Hanzo.Zt.Benchmarks.Nat;

/// <summary>
/// NAT traversal in the NAT lab, through <c>zt</c> processes: for each pair of NAT types (host behind NAT A, dialer
/// behind NAT B), fresh attempts (UDP NAT state flushed before each) of <c>zt dial</c>, timing from its
/// <c>path: relay</c> line (connected) to its <c>path: direct</c> line; then the success matrix; then echo throughput
/// cone↔cone on the direct path against the relay alone.
/// </summary>
internal static class NatBenchmark
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(12);

    public static async Task<int> RunAsync()
    {
        var fabric = new NatLabFabric();
        try
        {
            await fabric.InitializeAsync();
            if (fabric.Lab is not { } lab)
            {
                Console.WriteLine($"nat benchmark skipped: {NatLab.Unavailable}");
                return 1;
            }

            Console.WriteLine($"nat benchmark in the NAT lab ({Environment.ProcessorCount} cores): host behind NAT A, dialer behind NAT B, zt processes");
            (NatType A, NatType B, int Attempts)[] pairs =
            [
                (NatType.Cone, NatType.Cone, 10), (NatType.Cone, NatType.Symmetric, 10), (NatType.Symmetric, NatType.Cone, 10),
                (NatType.Symmetric, NatType.Symmetric, 3), (NatType.NoUdp, NatType.Cone, 3),
            ];
            var matrix = new List<string>();
            foreach (var (a, b, attempts) in pairs)
            {
                await lab.SetAsync(a, b);
                var setup = await fabric.CreateServiceAsync("bench-nat");
                await using var host = await fabric.StartEchoHostAsync(setup);
                var times = new List<double>();
                for (int i = 0; i < attempts; i++)
                {
                    await lab.FlushUdpAsync();
                    if (await TimeToDirectAsync(fabric, setup) is { } ms)
                    {
                        times.Add(ms);
                    }
                }

                times.Sort();
                string median = times.Count == 0 ? "-" : $"{times[times.Count / 2]:0} ms (min {times[0]:0}, max {times[^1]:0})";
                Console.WriteLine($"time to direct {a,-9} -> {b,-9}: {median}");
                matrix.Add($"  {a,-9} -> {b,-9}  direct {times.Count,2}/{attempts,-2}  ({100.0 * times.Count / attempts:0}%)");
            }

            Console.WriteLine("success matrix (host NAT -> dialer NAT):");
            matrix.ForEach(Console.WriteLine);

            await lab.SetAsync(NatType.Cone, NatType.Cone);
            var bulk = await fabric.CreateServiceAsync("bench-nat-bulk");
            await using (var host = await fabric.StartEchoHostAsync(bulk))
            {
                try
                {
                    double relay = await EchoThroughputAsync(fabric, bulk, directPaths: false).WaitAsync(TimeSpan.FromMinutes(2));
                    Console.WriteLine($"throughput, 64 MiB echoed through zt dial, cone -> cone, relay: {relay:0.0} MB/s");
                    double direct = await EchoThroughputAsync(fabric, bulk, directPaths: true).WaitAsync(TimeSpan.FromMinutes(2));
                    Console.WriteLine($"throughput, 64 MiB echoed through zt dial, cone -> cone, direct: {direct:0.0} MB/s (direct / relay {direct / relay:0.00})");
                }
                catch (TimeoutException)
                {
                    Console.WriteLine("throughput: the 64 MiB echo did not finish within 2 minutes");
                }
            }

            return 0;
        }
        finally
        {
            await fabric.DisposeAsync();
        }
    }

    private static async Task<double?> TimeToDirectAsync(NatLabFabric fabric, ServiceSetup setup)
    {
        await using var dial = fabric.StartDial(setup);
        await dial.WaitForLineAsync("path: relay");
        var connected = Stopwatch.StartNew();
        var direct = dial.WaitForLineAsync("path: direct");
        if (await Task.WhenAny(direct, Task.Delay(GiveUp)) != direct)
        {
            return null;
        }

        await direct;
        return connected.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> EchoThroughputAsync(NatLabFabric fabric, ServiceSetup setup, bool directPaths)
    {
        var input = RandomNumberGenerator.GetBytes(64 * 1024 * 1024);
        await using var dial = fabric.Spawn(fabric.Lab!.HostB, ["dial", setup.Service, "--identity", setup.ClientIdentity],
            directPaths ? null : new Dictionary<string, string> { ["HANZO_ZT_DIRECT_PATHS"] = "0" }, rawOutput: true);
        await dial.WaitForLineAsync(directPaths ? "path: direct" : "path: relay");
        var echoed = new MemoryStream();
        var clock = Stopwatch.StartNew();
        var receiving = dial.StandardOutput.CopyToAsync(echoed);
        await dial.StandardInput.WriteAsync(input);
        dial.StandardInput.Close();
        await receiving;
        double seconds = clock.Elapsed.TotalSeconds;
        await dial.WaitForExitAsync();
        if (!SHA256.HashData(echoed.ToArray()).AsSpan().SequenceEqual(SHA256.HashData(input)))
        {
            throw new InvalidOperationException("the echoed bytes differ from those sent");
        }

        return 2 * input.Length / seconds / 1e6;
    }
}
