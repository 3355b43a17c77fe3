using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>One controller on a free loopback port, shared by the tests of a class; tests use unique names.</summary>
public sealed class ControllerFixture : IAsyncLifetime
{
    private readonly Action<ControllerOptions>? _configure;

    public ControllerFixture() : this(null)
    {
    }

    internal ControllerFixture(Action<ControllerOptions>? configure) => _configure = configure;

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
