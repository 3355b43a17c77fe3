using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime;
using System.Security.Authentication;
using System.Security.Cryptography;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Benchmarks.Fabric;

/// <summary>
/// The fabric against plain loopback, in one run: single-stream throughput through the router (TLS to the router on
/// each side plus TLS end to end) against a plain TCP stream and a single TLS stream; 16 parallel streams; warm dial
/// latency; and memory per idle circuit with 10,000 circuits open. The router runs in its own process; controller,
/// host and client share this one, and all of them share the machine's cores.
/// </summary>
internal static class FabricBenchmark
{
    private const int Chunk = 64 * 1024;
    private const long SingleBytes = 256L * 1024 * 1024;
    private const int Parallel = 16;
    private const long ParallelBytesEach = 32L * 1024 * 1024;
    private const int DialWarmup = 50;
    private const int Dials = 300;
    private const int IdleCircuits = 10_000;
    private const double CryptoBound = 1.0 / 3;
    private const int Rounds = 5;

    /// <summary>What each zt dial echo sends (and gets back).</summary>
    private const long EchoBytes = 64L * 1024 * 1024;
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(3);

    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes(Chunk);

    /// <summary>What the zt dial harness writes and reads at a time: the payload, repeated.</summary>
    private static readonly byte[] PipeBlock = [.. Enumerable.Repeat(Payload, 16).SelectMany(b => b)];

    /// <summary>Runs every part, or only <paramref name="only"/> (<c>throughput</c>, <c>dial</c> or <c>memory</c>).</summary>
    public static async Task<int> RunAsync(string? only = null)
    {
        Console.WriteLine($"fabric benchmark on loopback ({Environment.ProcessorCount} cores): router in its own process; controller, host and client in this one");
        await using var fabric = await BenchFabric.StartAsync();
        var hostIdentity = IdentityFile.Load(fabric.HostIdentityFile);
        await using var listener = await fabric.Host.ListenAsync(fabric.Service);
        var sink = new Sink(listener);
        var ratios = new List<string>();

        // Idle memory first, on a router that has not yet relayed in bulk: one that has holds buffers it gives back
        // over the following seconds, which would count against the circuits opened meanwhile.
        var memory = new List<string>();
        if (only is null or "memory")
        {
            var (router, heap, resident) = await IdleMemoryAsync(fabric, sink);
            memory.Add($"memory per idle circuit, router:     {router / 1024:F1} KiB resident  (target < 32 KiB)");
            memory.Add($"memory per idle circuit, endpoints:  {heap / 1024:F1} KiB managed heap, {resident / 1024:F1} KiB resident (dialer and host together, mostly OpenSSL's two end-to-end TLS sessions)");
        }

        if (only is null or "throughput")
        {
            // Rounds alternate the baselines with the fabric, so a change in the machine's speed during the run (a shared
            // machine's other load) moves both sides of a ratio; each ratio is the median of its rounds. The first round
            // warms every path for a while, so the runtime has tiered up the code it runs (the router's included).
            await fabric.StartEchoHostAsync();
            var rounds = new List<(double Tcp, double Tls, double Relayed, double Parallel, double Dial, double TlsIdle, double RelayedIdle)>();
            TimeSpan self = TimeSpan.Zero, router = TimeSpan.Zero;
            long relayedAllocated = 0;
            DialCpu dialCpu = default;
            for (int round = 0; round < Rounds; round++)
            {
                bool warm = round == 0;
                Console.WriteLine($"round {round + 1} of {Rounds}");
                var (tcp, _) = await MeasureAsync("plain TCP loopback, 1 stream", SingleBytes, 1, () => TcpPairAsync(tls: null), warm);
                var (tls, tlsIdle) = await MeasureAsync("TLS 1.3 loopback, 1 stream", SingleBytes, 1, () => TcpPairAsync(hostIdentity), warm);
                var (selfBefore, routerBefore) = CpuTimes(fabric);
                long allocatedBefore = GC.GetTotalAllocatedBytes();
                var (relayed, relayedIdle) = await MeasureAsync("through the router, 1 stream", SingleBytes, 1, () => DialAsync(fabric.Client, fabric.Service), warm);
                long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
                var (selfAfter, routerAfter) = CpuTimes(fabric);
                var (parallel, _) = await MeasureAsync($"through the router, {Parallel} streams", ParallelBytesEach, Parallel, () => DialAsync(fabric.Client, fabric.Service), warm);
                if (warm)
                {
                    // zt echo-host is a long-lived process like the router: warm it as the SDK path was warmed, and
                    // the controller's and the router's session paths with it. Each zt dial is a new process, cold as a
                    // user's would be.
                    await WarmSessionPathsAsync(fabric);
                    for (long warming = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warming) < WarmupTime;)
                    {
                        await MeasureZtDialAsync(fabric, direct: false);
                    }
                }
                else
                {
                    (self, router) = (self + selfAfter - selfBefore, router + routerAfter - routerBefore);
                    relayedAllocated += allocated;
                }

                var dial = await MeasureZtDialAsync(fabric, direct: false);
                if (!warm)
                {
                    dialCpu += dial.Cpu;
                }

                rounds.Add((tcp, tls, relayed, parallel, dial.MBps, tlsIdle, relayedIdle));
            }

            double dialDirect = (await MeasureZtDialAsync(fabric, direct: true)).MBps;
            // A relayed byte is encrypted and decrypted three times (end to end, dialer's link, host's link through the
            // router) against once over plain TLS: on the same cores, crypto alone caps the ratio at a third.
            ratios.Add($"relayed / TLS loopback (1 stream):   {Median(rounds.Select(r => r.Relayed / r.Tls)):F2}  (crypto bound {CryptoBound:F2}; target >= 0.30; median of {Rounds} rounds)");
            ratios.Add($"relayed / plain TCP (1 stream):      {Median(rounds.Select(r => r.Relayed / r.Tcp)):F2}");
            // CPU time per relayed MiB varies less with the machine's other load than MB/s does.
            double mib = (Rounds - 1) * (SingleBytes + (4L << 20)) / 1048576.0;
            ratios.Add($"relayed CPU per MiB (1 stream):      {self.TotalMilliseconds / mib:F2} ms dialer+host, {router.TotalMilliseconds / mib:F2} ms router");
            ratios.Add($"allocated per relayed MiB (1 stream): {relayedAllocated / mib / 1024:F0} KiB dialer+host (managed heap)");
            // What the cores did not use: a stream that leaves them idle waits on something other than the CPU.
            ratios.Add($"idle CPU (1 stream):                 {100 * Median(rounds.Select(r => r.RelayedIdle)):F0}% relayed, {100 * Median(rounds.Select(r => r.TlsIdle)):F0}% TLS loopback");
            ratios.Add($"zt dial / SDK relayed: {Median(rounds.Select(r => r.Dial / r.Relayed)):F2}  (target >= 0.80; zt dial's echo counted both ways, both on the relay; median of {Rounds} rounds)");
            double echoed = (Rounds - 1) * 2.0 * EchoBytes / 1048576;
            ratios.Add($"zt dial CPU per echoed MiB:          {dialCpu.Dial.TotalMilliseconds / echoed:F2} ms zt dial (connected to exit), {dialCpu.EchoHost.TotalMilliseconds / echoed:F2} ms echo-host, {dialCpu.Router.TotalMilliseconds / echoed:F2} ms router, {dialCpu.Harness.TotalMilliseconds / echoed:F2} ms harness");
            ratios.Add($"zt dial direct / relayed:            {dialDirect / Median(rounds.Select(r => r.Dial)):F2}  (the second echo may move to a punched UDP path)");
            ratios.Add($"{Parallel} streams / 1 stream (relayed):    {Median(rounds.Select(r => r.Parallel / r.Relayed)):F2}  (target >= 1.00; median of {Rounds} rounds)");
        }

        if (only is null or "dial")
        {
            var (p50, p99) = await DialLatencyAsync(fabric);
            ratios.Add($"dial p50 / p99 (warm API session):   {p50:F2} ms / {p99:F2} ms  (target p50 < 5 ms)");
        }

        ratios.AddRange(memory);
        Console.WriteLine();
        ratios.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>The machine's CPU time so far, busy and idle (idle and I/O wait), in clock ticks from /proc/stat.</summary>
    private static (long Busy, long Idle) CpuTicks()
    {
        // cpu user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        long idle = fields[3] + fields[4];
        return (fields.Sum() - idle, idle);
    }

    /// <summary>
    /// Waits, up to <see cref="SettleLimit"/>, until this process's runtime has compiled no method for
    /// <see cref="SettleQuiet"/>. The tiered JIT recompiles methods that got hot in the background, once the process
    /// has been quiet for a moment, which is the start of the next timed section: that work would count against
    /// whatever is measured there (it took up to half of this process's CPU time during a timed zt dial).
    /// </summary>
    private static async Task SettleAsync()
    {
        long since = Stopwatch.GetTimestamp(), quiet = since;
        long compiled = JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetElapsedTime(quiet) < SettleQuiet && Stopwatch.GetElapsedTime(since) < SettleLimit)
        {
            await Task.Delay(50);
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                (compiled, quiet) = (now, Stopwatch.GetTimestamp());
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// Runs <paramref name="streams"/> transfers of <paramref name="bytesEach"/> at once; returns MB/s of payload and the share
    /// of the machine's CPU left idle meanwhile. Every path is warmed first: for <see cref="WarmupTime"/> when <paramref name="warm"/>, else with a few MiB.
    /// </summary>
    private static async Task<(double MBps, double Idle)> MeasureAsync(string name, long bytesEach, int streams, Func<Task<Stream>> open, bool warm)
    {
        var connections = new Stream[streams];
        for (int i = 0; i < streams; i++)
        {
            connections[i] = await open();
        }

        long warming = Stopwatch.GetTimestamp();
        do
        {
            await Task.WhenAll(connections.Select(c => SendAsync(c, 4L << 20)));
        }
        while (warm && Stopwatch.GetElapsedTime(warming) < WarmupTime);

        for (int i = 0; i < streams; i++)
        {
            await connections[i].DisposeAsync();
            connections[i] = await open();
        }

        await SettleAsync();
        var (busyBefore, idleBefore) = CpuTicks();
        long started = Stopwatch.GetTimestamp();
        await Task.WhenAll(connections.Select(c => SendAsync(c, bytesEach)));
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (busyAfter, idleAfter) = CpuTicks();
        double idle = (double)(idleAfter - idleBefore) / Math.Max(1, busyAfter - busyBefore + idleAfter - idleBefore);
        foreach (var c in connections)
        {
            await c.DisposeAsync();
        }

        double mbps = bytesEach * streams / seconds / 1e6;
        Console.WriteLine($"{name,-36}{mbps,10:F0} MB/s");
        return (mbps, idle);
    }

    /// <summary>
    /// <c>zt dial</c> as a user runs it, in its own process: 64 MiB piped through its standard input to
    /// <c>zt echo-host</c> (its own process too), which echoes them back to <c>zt dial</c>'s standard output. Timed
    /// from the connected line to the last echoed byte; MB/s counts both directions. Unless <paramref name="direct"/>,
    /// zt dial keeps to the relay (HANZO_ZT_DIRECT_PATHS=0), as the SDK stream it is compared with does.
    /// </summary>
    private static async Task<DialRun> MeasureZtDialAsync(BenchFabric fabric, bool direct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (!direct)
        {
            start.Environment["HANZO_ZT_DIRECT_PATHS"] = "0";
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zt.dll"));
        foreach (var arg in new[] { "dial", fabric.EchoService, "--identity", fabric.ClientIdentityFile })
        {
            start.ArgumentList.Add(arg);
        }

        // Settled before zt dial starts, not after it connects: a user's zt dial gets its input at once.
        await SettleAsync();
        var childrenBefore = ChildrenCpu();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start zt dial");
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (await process.StandardError.ReadLineAsync(guard.Token) is { } line && !line.Contains("connected", StringComparison.Ordinal))
        {
        }

        var cpuAtConnect = process.TotalProcessorTime;
        var echoHost = fabric.EchoHost ?? throw new InvalidOperationException("zt echo-host was not started");
        var (echoBefore, routerBefore, selfBefore) = (CpuOf(echoHost), CpuOf(fabric.Router), SelfCpu());
        long started = Stopwatch.GetTimestamp();
        // The harness stands for the user's side of the pipes, and spends next to nothing there, as a shell's
        // redirection would: blocking 1 MiB writes and reads, each on a thread of its own.
        var stdin = process.StandardInput.BaseStream;
        var send = Task.Factory.StartNew(
            () =>
            {
                for (long sent = 0; sent < EchoBytes; sent += PipeBlock.Length)
                {
                    stdin.Write(PipeBlock, 0, (int)Math.Min(PipeBlock.Length, EchoBytes - sent));
                }

                stdin.Close();
            },
            TaskCreationOptions.LongRunning);
        using var stuck = guard.Token.Register(() => process.Kill());
        var (received, firstWrong, wrong) = await Task.Factory.StartNew(() => ReadEcho(process.StandardOutput.BaseStream), TaskCreationOptions.LongRunning);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (echoAfter, routerAfter, selfAfter) = (CpuOf(echoHost), CpuOf(fabric.Router), SelfCpu());
        try
        {
            await send;
        }
        catch (IOException) when (received != EchoBytes)
        {
            // zt dial ended before it took all of its input: its standard error says why, below.
        }

        await process.WaitForExitAsync(guard.Token);
        if (received != EchoBytes || firstWrong >= 0)
        {
            throw new InvalidOperationException($"zt dial echoed {received} of {EchoBytes} bytes; first wrong byte at {firstWrong}: {wrong}; it exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(guard.Token)}");
        }

        double mbps = 2 * EchoBytes / seconds / 1e6;
        Console.WriteLine($"{(direct ? "zt dial, 64 MiB echo, direct allowed" : "zt dial, 64 MiB echo (both ways)"),-36}{mbps,10:F0} MB/s");

        // zt dial's own CPU time from its connected line to its exit (it has exited, so the kernel's count for reaped
        // children has it); the long-lived processes' over the timed echo.
        var dialCpu = ChildrenCpu() - childrenBefore - cpuAtConnect;
        return new DialRun(mbps, new DialCpu(dialCpu, echoAfter - echoBefore, routerAfter - routerBefore, selfAfter - selfBefore));
    }

    /// <summary>One zt dial echo: its rate (both ways) and where the CPU time went.</summary>
    private readonly record struct DialRun(double MBps, DialCpu Cpu);

    /// <summary>CPU time spent on a zt dial echo, by process.</summary>
    private readonly record struct DialCpu(TimeSpan Dial, TimeSpan EchoHost, TimeSpan Router, TimeSpan Harness)
    {
        public static DialCpu operator +(DialCpu a, DialCpu b) => new(a.Dial + b.Dial, a.EchoHost + b.EchoHost, a.Router + b.Router, a.Harness + b.Harness);
    }

    private static TimeSpan CpuOf(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static TimeSpan SelfCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>User and system time of this process's children that have exited and been waited for.</summary>
    private static TimeSpan ChildrenCpu()
    {
        const int RusageChildren = -1;
        return GetRusage(RusageChildren, out var usage) == 0
            ? TimeSpan.FromMicroseconds(usage.UserSeconds * 1e6 + usage.UserMicroseconds + usage.SystemSeconds * 1e6 + usage.SystemMicroseconds)
            : TimeSpan.Zero;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out Rusage usage);

    /// <summary>Linux's struct rusage on 64-bit: two timevals, then fourteen longs.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 144)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }

    /// <summary>Reads the echo to its end, checking it is the payload again byte for byte (it repeats every chunk).</summary>
    private static (long Received, long FirstWrong, string Wrong) ReadEcho(Stream stdout)
    {
        long received = 0, firstWrong = -1;
        string wrong = "";
        byte[] buffer = new byte[PipeBlock.Length];
        int n;
        while ((n = stdout.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < n && firstWrong < 0;)
            {
                int at = (int)((received + i) % Chunk), run = Math.Min(n - i, Chunk - at);
                int mismatch = buffer.AsSpan(i, run).CommonPrefixLength(Payload.AsSpan(at, run));
                if (mismatch < run)
                {
                    firstWrong = received + i + mismatch;
                    wrong = Convert.ToHexString(buffer, i + mismatch, Math.Min(32, n - i - mismatch));
                }

                i += run;
            }

            received += n;
        }

        return (received, firstWrong, wrong);
    }

    private static (TimeSpan Self, TimeSpan Router) CpuTimes(BenchFabric fabric) => (SelfCpu(), CpuOf(fabric.Router));

    /// <summary>Sends <paramref name="bytes"/>, ends the sending side and waits for the receiver's one-byte receipt.</summary>
    private static async Task SendAsync(Stream stream, long bytes)
    {
        var length = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(length, bytes);
        await stream.WriteAsync(length);
        for (long sent = 0; sent < bytes; sent += Chunk)
        {
            await stream.WriteAsync(Payload.AsMemory(0, (int)Math.Min(Chunk, bytes - sent)));
        }

        await stream.FlushAsync();
        var receipt = new byte[1];
        await stream.ReadExactlyAsync(receipt);
    }

    /// <summary>How many times <see cref="WarmSessionPathsAsync"/> dials.</summary>
    private const int SessionWarmups = 200;

    /// <summary>
    /// Asks of the long-lived processes what each zt dial asks of them, from a new context each time as a new zt dial
    /// process does: an API session and a session at the controller (in this process), a circuit at the router, an
    /// accept and a short echo at zt echo-host. Their runtimes tier those paths up over the first hundreds of dials;
    /// until then, each zt dial's requests set off compilations that run during the timed echo that follows, on the
    /// cores the echo needs.
    /// </summary>
    private static async Task WarmSessionPathsAsync(BenchFabric fabric)
    {
        byte[] sent = [1], received = new byte[1];
        for (int i = 0; i < SessionWarmups; i++)
        {
            await using var context = ZtContext.FromIdentityFile(fabric.ClientIdentityFile);
            await using var connection = await context.DialAsync(fabric.EchoService);
            await connection.WriteAsync(sent);
            await connection.FlushAsync();
            await connection.ReadExactlyAsync(received);
        }
    }

    private static async Task<Stream> DialAsync(ZtContext client, string service) => await client.DialAsync(service);

    /// <summary>A loopback TCP (or TLS, with the host identity's certificate) pair whose far end is a sink.</summary>
    private static async Task<Stream> TcpPairAsync(ZtIdentity? tls)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accepting;
        server.NoDelay = true;
        Stream near = new NetworkStream(client, ownsSocket: true), far = new NetworkStream(server, ownsSocket: true);
        if (tls is not null)
        {
            var serverTls = new SslStream(far);
            var clientTls = new SslStream(near);
            await Task.WhenAll(
                serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(tls.Certificate, tls.CertificateAuthorities),
                    EnabledSslProtocols = SslProtocols.Tls13,
                }),
                clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                }));
            (near, far) = (clientTls, serverTls);
        }

        _ = Sink.DrainAsync(far);
        return near;
    }

    private static async Task<(double P50, double P99)> DialLatencyAsync(BenchFabric fabric)
    {
        for (int i = 0; i < DialWarmup; i++)
        {
            await (await fabric.Client.DialAsync(fabric.Service)).DisposeAsync();
        }

        var millis = new double[Dials];
        for (int i = 0; i < Dials; i++)
        {
            long started = Stopwatch.GetTimestamp();
            var connection = await fabric.Client.DialAsync(fabric.Service);
            millis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await connection.DisposeAsync();
        }

        Array.Sort(millis);
        Console.WriteLine($"{"dial (circuit + end-to-end TLS)",-36}{millis[Dials / 2],10:F2} ms p50 {millis[Dials * 99 / 100],8:F2} ms p99");
        return (millis[Dials / 2], millis[Dials * 99 / 100]);
    }

    private static async Task<(double Router, double Heap, double Resident)> IdleMemoryAsync(BenchFabric fabric, Sink sink)
    {
        // A router carries at most 1,024 circuits on one link (RouterOptions.MaxCircuitsPerLink): the circuits come from
        // several dialers of the same identity, each with its own link, warmed before the baseline. Sessions are the
        // SDK's business: it gets a new one when a router says one token has opened all it may.
        var dialers = Enumerable.Range(0, IdleCircuits / 1000).Select(_ => ZtContext.FromIdentityFile(fabric.ClientIdentityFile)).ToArray();
        foreach (var dialer in dialers)
        {
            await (await dialer.DialAsync(fabric.Service)).DisposeAsync();
        }

        long acceptedBefore = sink.Accepted;
        var (heapBefore, rssBefore) = Measure();
        long routerBefore = fabric.RouterResidentBytes();
        var open = new ZtConnection[IdleCircuits];
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < IdleCircuits;)
            {
                open[i] = await dialers[i % dialers.Length].DialAsync(fabric.Service);
            }
        }));
        await sink.WaitForAcceptedAsync(acceptedBefore + IdleCircuits);
        var (heapAfter, rssAfter) = Measure();
        long routerAfter = fabric.RouterResidentBytes();
        Console.WriteLine($"{IdleCircuits} idle circuits open; router resident {routerBefore / 1048576.0:F1} MiB before, {routerAfter / 1048576.0:F1} MiB after");
        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }

        foreach (var dialer in dialers)
        {
            await dialer.DisposeAsync();
        }

        return ((routerAfter - routerBefore) / (double)IdleCircuits, (heapAfter - heapBefore) / (double)IdleCircuits, (rssAfter - rssBefore) / (double)IdleCircuits);
    }

    private static (long Heap, long Resident) Measure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"  heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB, GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F1} MiB, resident {self.WorkingSet64 / 1048576.0:F1} MiB{OpenSslMemory()}");
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }

    /// <summary>
    /// What OpenSSL holds, when the runtime tracks it (DOTNET_OPENSSL_MEMORY_DEBUG=1 set before
    /// start; read through the runtime's diagnostic hook, which is not public API).
    /// </summary>
    private static string OpenSslMemory()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_OPENSSL_MEMORY_DEBUG") != "1")
        {
            return "";
        }

        var crypto = typeof(System.Security.Cryptography.Aes).Assembly.GetType("Interop+Crypto");
        var allocated = crypto?.GetMethod("GetOpenSslAllocatedMemory", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);
        return allocated is null ? ", OpenSSL: not tracked" : $", OpenSSL {Convert.ToInt64(allocated.Invoke(null, null), System.Globalization.CultureInfo.InvariantCulture) / 1048576.0:F1} MiB";
    }

    /// <summary>
    /// The far end of every stream: reads a length-prefixed transfer, answers with a one-byte receipt, and repeats
    /// until the stream ends. Idle streams wait with a zero-byte read, so they hold no buffer.
    /// </summary>
    private sealed class Sink
    {
        private long _accepted;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Sink(ZtListener listener) => _ = AcceptAsync(listener);

        public long Accepted => Interlocked.Read(ref _accepted);

        public async Task WaitForAcceptedAsync(long count)
        {
            while (Accepted < count)
            {
                var changed = Volatile.Read(ref _changed);
                if (Accepted >= count)
                {
                    break;
                }

                await changed.Task.WaitAsync(TimeSpan.FromMinutes(5));
            }
        }

        private async Task AcceptAsync(ZtListener listener)
        {
            while (true)
            {
                ZtConnection connection;
                try
                {
                    connection = await listener.AcceptAsync();
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
                Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                _ = DrainAsync(connection);
            }
        }

        /// <summary>Writes back the next <paramref name="bytes"/> as they arrive.</summary>
        private static async Task EchoAsync(Stream stream, long bytes)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Chunk);
            try
            {
                while (bytes > 0)
                {
                    int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes)));
                    if (n == 0)
                    {
                        return;
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, n));
                    bytes -= n;
                }

                await stream.FlushAsync();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public static async Task DrainAsync(Stream stream)
        {
            try
            {
                var header = new byte[8];
                while (true)
                {
                    _ = await stream.ReadAsync(Memory<byte>.Empty); // waits for data without taking any
                    if (await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false) < header.Length)
                    {
                        return;
                    }

                    long remaining = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(header);
                    if (remaining < 0)
                    {
                        await EchoAsync(stream, -remaining);
                        continue;
                    }

                    byte[] buffer = ArrayPool<byte>.Shared.Rent(Chunk);
                    try
                    {
                        while (remaining > 0)
                        {
                            int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)));
                            if (n == 0)
                            {
                                return;
                            }

                            remaining -= n;
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }

                    await stream.WriteAsync(new byte[] { 1 });
                    await stream.FlushAsync();
                }
            }
            catch (Exception e) when (e is IOException or ZtException or ObjectDisposedException)
            {
                // The benchmark closed the stream.
            }
            finally
            {
                await stream.DisposeAsync();
            }
        }
    }
}
