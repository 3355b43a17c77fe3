using System.Diagnostics;
using System.Net.Http.Json;
using Hanzo.Zt.Testing;

namespace Hanzo.Zt.Benchmarks.Controller;

/// <summary>
/// Controller throughput: certificate authentications per second (each creates an API session) and Dial sessions per
/// second (each reads policies and writes a session), from concurrent clients spread over the controllers, for one
/// controller on SQLite and one and two controllers sharing PostgreSQL. Controllers run as their own processes; the
/// clients, the controllers and PostgreSQL share the machine's cores.
/// </summary>
internal static class ControllerBenchmark
{
    private const int Workers = 32;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(6);

    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"controller benchmark on loopback ({Environment.ProcessorCount} cores): {Workers} concurrent clients, {Measure.TotalSeconds:F0} s per figure");
        var results = new List<(string Name, double Auth, double Sessions)>
        {
            await RunAsync("1 controller, SQLite", 1, null),
        };
        if (PostgresServer.UnavailableReason is { } reason)
        {
            Console.WriteLine(reason);
        }
        else
        {
            var server = await PostgresServer.SharedAsync();
            results.Add(await RunAsync("1 controller, PostgreSQL", 1, await server.CreateDatabaseAsync(maxPoolSize: 64)));
            results.Add(await RunAsync("2 controllers, PostgreSQL", 2, await server.CreateDatabaseAsync(maxPoolSize: 64)));
        }

        Console.WriteLine();
        Console.WriteLine($"{"",-28}{"authentications/s",20}{"sessions/s",14}");
        foreach (var (name, auth, sessions) in results) Console.WriteLine($"{name,-28}{auth,20:F0}{sessions,14:F0}");
        if (results.Count == 3)
        {
            Console.WriteLine();
            Console.WriteLine($"PostgreSQL x1 / SQLite x1:       authentications {results[1].Auth / results[0].Auth:F2}, sessions {results[1].Sessions / results[0].Sessions:F2}");
            Console.WriteLine($"PostgreSQL x2 / PostgreSQL x1:   authentications {results[2].Auth / results[1].Auth:F2}, sessions {results[2].Sessions / results[1].Sessions:F2}");
        }
        return 0;
    }

    private static async Task<(string, double, double)> RunAsync(string name, int controllers, string? connectionString)
    {
        await using var cluster = await BenchCluster.StartAsync(controllers, connectionString);
        using var http = cluster.CreateHttp();
        int next = 0;
        Uri Pick() => cluster.Urls[Interlocked.Increment(ref next) % cluster.Urls.Count];

        double auth = await RateAsync(async () =>
        {
            using var response = await http.PostAsJsonAsync(new Uri(Pick(), "/edge/client/v1/authenticate?method=cert"), new { });
            await BenchCluster.Data(response);
        });

        using (var login = await http.PostAsJsonAsync(new Uri(cluster.Urls[0], "/edge/client/v1/authenticate?method=cert"), new { }))
        {
            string token = (await BenchCluster.Data(login)).GetProperty("token").GetString()!;
            double sessions = await RateAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Pick(), "/edge/client/v1/sessions"))
                {
                    Content = JsonContent.Create(new { serviceName = cluster.Service, type = "Dial" }),
                };
                request.Headers.Add("zt-session", token);
                using var response = await http.SendAsync(request);
                await BenchCluster.Data(response);
            });
            Console.WriteLine($"  {name}: {auth:F0} authentications/s, {sessions:F0} sessions/s");
            return (name, auth, sessions);
        }
    }

    /// <summary>Runs <paramref name="operation"/> from <see cref="Workers"/> loops: a warm-up, then a measured interval; returns operations per second.</summary>
    private static async Task<double> RateAsync(Func<Task> operation)
    {
        long done = 0;
        bool counting = false;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await operation();
                if (Volatile.Read(ref counting)) Interlocked.Increment(ref done);
            }
        })).ToList();
        await Task.Delay(Warmup);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        await Task.Delay(Measure);
        Volatile.Write(ref counting, false);
        long count = Interlocked.Read(ref done);
        double seconds = clock.Elapsed.TotalSeconds;
        stop.Cancel();
        await Task.WhenAll(loops);
        return count / seconds;
    }
}
