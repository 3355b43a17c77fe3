using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Enrollment against an interceptor. The token pins the controller's CA, so <c>zt enroll</c> and
/// <c>zt router run --enroll</c> refuse both a man in the middle (its own TLS certificate, relaying the real
/// controller's answers) and another controller on the token's address, before the one-time secret leaves.
/// </summary>
public sealed class EnrollmentInterceptionTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("hanzo-zt-enroll-mitm-").FullName;
    private readonly List<ZtChildProcess> _children = [];

    [Fact]
    public async Task Enrollment_through_an_interceptor_or_to_another_controller_fails_before_sending_the_token()
    {
        int port = FabricFixture.FreePort();
        string data = Path.Combine(_root, "controller");
        var controller = await StartControllerAsync(data, port);
        var (identityJwt, routerJwt) = await CreateTokensAsync(port);
        (await controller.StopAsync()).ShouldBe(0, controller.Transcript);

        // The real controller moves to another port; the interceptor takes the address the tokens name.
        int realPort = FabricFixture.FreePort();
        await StartControllerAsync(data, realPort);
        await using (var interceptor = new TlsInterceptor(port, realPort))
        {
            var enroll = await RunAsync(["enroll", identityJwt, "--out", Path.Combine(_root, "victim.json")]);
            var router = await RunAsync(["router", "run", "--data-dir", Path.Combine(_root, "router"), "--listen", "tls://127.0.0.1:0", "--enroll", routerJwt]);

            enroll.Exit.ShouldNotBe(0, enroll.Transcript);
            enroll.Transcript.ShouldContain("does not chain to the CA the enrollment token pins");
            router.Exit.ShouldNotBe(0, router.Transcript);
            router.Transcript.ShouldContain("does not chain to the CA the enrollment token pins");
            interceptor.Seen.ShouldNotContain("/enroll");
            File.Exists(Path.Combine(_root, "victim.json")).ShouldBeFalse();
        }

        // Another controller answering at the token's address has another CA.
        var impostor = await StartControllerAsync(Path.Combine(_root, "impostor"), port);
        var toImpostor = await RunAsync(["enroll", identityJwt, "--out", Path.Combine(_root, "victim.json")]);
        toImpostor.Exit.ShouldNotBe(0, toImpostor.Transcript);
        toImpostor.Transcript.ShouldContain("is not the one the enrollment token pins");
        (await impostor.StopAsync()).ShouldBe(0);

        // The same token, at the real controller, enrolls: the refusals were the pin, not a broken token.
        await StartControllerAsync(data, port);
        var genuine = await RunAsync(["enroll", identityJwt, "--out", Path.Combine(_root, "device.json")]);
        genuine.Exit.ShouldBe(0, genuine.Transcript);
    }

    private async Task<ZtChildProcess> StartControllerAsync(string data, int port)
    {
        var child = Spawn(["controller", "run", "--data-dir", data, "--urls", $"https://127.0.0.1:{port}"],
            new Dictionary<string, string> { ["ZT_ADMIN_PASSWORD"] = AdminApi.Password });
        await child.WaitForLineAsync("listening");
        return child;
    }

    private async Task<(string Identity, string Router)> CreateTokensAsync(int port)
    {
        var url = new Uri($"https://127.0.0.1:{port}");
        string caPem;
        using (var bootstrap = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
        {
            caPem = await bootstrap.GetStringAsync(new Uri(url, "/edge/client/v1/.well-known/est/cacerts"));
        }

        using var admin = await AdminApi.LoginAsync(url, X509Certificate2.CreateFromPem(caPem));
        var (_, identityJwt) = await admin.CreateIdentityAsync("device-" + Guid.NewGuid().ToString("N")[..6]);
        string routerJwt = await admin.CreateRouterAsync("router-" + Guid.NewGuid().ToString("N")[..6], new Uri("tls://127.0.0.1:1"));
        string identityFile = Path.Combine(_root, "identity.jwt"), routerFile = Path.Combine(_root, "router.jwt");
        await File.WriteAllTextAsync(identityFile, identityJwt);
        await File.WriteAllTextAsync(routerFile, routerJwt);
        return (identityFile, routerFile);
    }

    private async Task<(int Exit, string Transcript)> RunAsync(string[] args)
    {
        var child = Spawn(args);
        int exit = await child.WaitForExitAsync();
        return (exit, child.Transcript);
    }

    private ZtChildProcess Spawn(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var child = ZtChildProcess.Start(args, environment);
        _children.Add(child);
        return child;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: the test framework disposes test classes through the former only, and the
    // controllers this test starts must not outlive it.
    public async Task DisposeAsync()
    {
        foreach (var child in _children)
        {
            await child.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
