using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Controller.PostgreSql;
using Hanzo.Zt.Testing;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>
/// One controller on a free loopback port, shared by the tests of a class; tests use unique names. Its store is
/// SQLite in a temporary directory, or (<see cref="PostgreSqlControllerFixture"/>) a fresh database on the test
/// run's PostgreSQL server.
/// </summary>
public class ControllerFixture : IAsyncLifetime
{
    /// <summary>The controller key the PostgreSQL fixtures share, as a cluster's controllers do.</summary>
    public const string ClusterKey = "test-cluster-key";

    private readonly Action<ControllerOptions>? _configure;
    private readonly bool _postgreSql;

    public ControllerFixture() : this(null)
    {
    }

    internal ControllerFixture(Action<ControllerOptions>? configure, bool postgreSql = false)
    {
        _configure = configure;
        _postgreSql = postgreSql;
    }

    /// <summary>Puts <paramref name="options"/> on a fresh PostgreSQL database of the test run's server.</summary>
    public static async Task UsePostgreSqlAsync(ControllerOptions options)
    {
        var server = await PostgresServer.SharedAsync();
        options.UsePostgreSql(await server.CreateDatabaseAsync());
        options.MasterKey = ClusterKey;
    }

    public const string AdminPassword = "admin-password-1";

    public string DataDirectory { get; } = TestDirectory.Create();

    public ControllerHost Host { get; private set; } = null!;

    public ZtApi Anonymous { get; private set; } = null!;

    public ZtApi Admin { get; private set; } = null!;

    public static ControllerOptions Options(string dataDirectory, string? adminPassword = AdminPassword) => new()
    {
        DataDirectory = dataDirectory,
        Url = "https://127.0.0.1:0",
        AdminPassword = adminPassword,
        PasswordIterations = 1000,
    };

    public async Task InitializeAsync()
    {
        var options = Options(DataDirectory);
        if (_postgreSql) await UsePostgreSqlAsync(options);
        _configure?.Invoke(options);
        Host = await ControllerHost.StartAsync(options);
        Anonymous = CreateApi();
        Admin = await ZtApi.LoginAsync(CreateApi(), "admin", AdminPassword);
    }

    public ZtApi CreateApi(X509Certificate2? clientCertificate = null) => ZtApi.Create(Host, clientCertificate);

    /// <summary>Creates an identity with a password and returns an API logged in as it.</summary>
    public async Task<(string Id, ZtApi Api)> CreateUserAsync(string name, params string[] attributes)
    {
        var created = await Admin.PostAsync("/edge/management/v1/identities",
            new { name, type = "User", password = "user-password-1", roleAttributes = attributes });
        created.ShouldBeOk();
        var api = await ZtApi.LoginAsync(CreateApi(), name, "user-password-1");
        return (created.Data.GetProperty("id").GetString()!, api);
    }

    public async Task<string> CreateAsync(string path, object body)
    {
        var created = await Admin.PostAsync("/edge/management/v1/" + path, body);
        created.ShouldBeOk();
        return created.Data.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        TestDirectory.Delete(DataDirectory);
    }
}

/// <summary>A controller on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlControllerFixture() : ControllerFixture(null, postgreSql: true);

internal static class TestDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "zt-controller-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try { Directory.Delete(path, true); }
        catch (IOException) { }
    }

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
