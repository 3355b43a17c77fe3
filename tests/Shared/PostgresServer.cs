using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Hanzo.Zt.Testing;

/// <summary>
/// A PostgreSQL server of the test run's own: <c>initdb</c> in a temporary folder, listening on a free loopback
/// port, stopped and removed when the test process exits. Started once per process (<see cref="SharedAsync"/>);
/// each test class takes a fresh database from it. As root (CI) the server runs as the <c>postgres</c> user, since
/// PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer
{
    private const string User = "zt", Password = "zt-test-password";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static readonly Lazy<string?> Binaries = new(FindBinaries);

    private readonly string _root;
    private readonly string _bin;

    private PostgresServer(string root, string bin, int port)
    {
        _root = root;
        _bin = bin;
        Port = port;
    }

    /// <summary>Why PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? UnavailableReason => Binaries.Value is null
        ? "PostgreSQL 15 is not installed (apt-get install postgresql; ./build.sh test installs it): PostgreSQL tests skipped"
        : null;

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server of this test process, started on first use.</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>A connection string to the maintenance database.</summary>
    public string ConnectionString(string database = "postgres", int maxPoolSize = 20) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        MaxPoolSize = maxPoolSize,
        Timeout = 30,
    }.ToString();

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(int maxPoolSize = 20)
    {
        var name = "zt_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString(maxPoolSize: 2)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name, maxPoolSize);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = Binaries.Value ?? throw new InvalidOperationException(UnavailableReason);
        var root = Path.Combine(Path.GetTempPath(), "zt-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot && !OperatingSystem.IsWindows())
        {
            // Reachable by the postgres user, which owns the data directory.
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
            await RunAsync("chown", ["postgres:postgres", root], asPostgres: false);
        }

        var passwordFile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (asRoot) await RunAsync("chown", ["postgres:postgres", passwordFile], asPostgres: false);
        var data = Path.Combine(root, "data");
        await RunAsync(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", User, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions"], asRoot);

        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            try
            {
                await RunAsync(Path.Combine(bin, "pg_ctl"),
                    ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                     "-o", $"-p {port} -h 127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off -c max_connections=400", "start"], asRoot);
                var server = new PostgresServer(root, bin, port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 2)
            {
                // The port was taken between choosing and binding it: choose again.
            }
        }
    }

    private void Stop(bool asRoot)
    {
        // The test host may be ended soon after exit begins: a shell of its own stops the server and removes its files.
        var pgCtl = Path.Combine(_bin, "pg_ctl");
        var stop = $"{(asRoot ? "runuser -u postgres -- " : "")}'{pgCtl}' -D '{Path.Combine(_root, "data")}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{_root}'";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in new[] { "sh", "-c", stop }) info.ArgumentList.Add(a);
        using var process = Process.Start(info);
    }

    private static async Task RunAsync(string file, string[] arguments, bool asPostgres)
    {
        using var process = Process.Start(Start(file, arguments, asPostgres))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static ProcessStartInfo Start(string file, string[] arguments, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        }
        foreach (var a in arguments) info.ArgumentList.Add(a);
        return info;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string? FindBinaries()
    {
        // ZT_TEST_POSTGRES_BIN names the binaries' directory; one without initdb turns the PostgreSQL tests off.
        if (Environment.GetEnvironmentVariable("ZT_TEST_POSTGRES_BIN") is { Length: > 0 } configured)
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null) return newest;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(p => p.Length > 0 && File.Exists(Path.Combine(p, "initdb")) && File.Exists(Path.Combine(p, "pg_ctl")));
    }
}
