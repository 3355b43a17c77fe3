using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Hosts wired only by <c>AddHanzoZt()</c>, configuration and <c>AddZapService</c>/<c>AddZapClient</c> (the Greeter
/// sample, with no <c>ZtContext</c> in its code), as real processes calling each other over <c>zt://</c>; the client
/// is constructor-injected into a hosted service.
/// </summary>
public sealed class DependencyInjectionProcessTests(ProcessFabricFixture fixture) : IClassFixture<ProcessFabricFixture>
{
    private ProcessFabric Fabric => fixture.Fabric;

    private static Dictionary<string, string> Host(string role, string service, string? identityFile, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Role"] = role,
            ["Service"] = service,
            ["IntervalMs"] = "100",
            ["HanzoZt__Billing__Enabled"] = "false",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (identityFile is not null) settings["HanzoZt__IdentityFile"] = identityFile;
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task A_client_host_calls_a_server_host_and_keeps_calling_across_a_server_restart()
    {
        var setup = await Fabric.CreateServiceAsync("greeter");
        var server = Fabric.StartGreeter(Host("server", setup.Service, setup.HostIdentity));
        await server.WaitForLineAsync("Serving IGreeter");
        var client = Fabric.StartGreeter(Host("client", setup.Service, setup.ClientIdentity));
        await client.WaitForLineAsync("ok 1: hello, call 1");

        await server.KillAsync();
        string failure = await client.WaitForLineAsync("failed ");
        int failedAt = Number(failure);
        var restarted = Fabric.StartGreeter(Host("server", setup.Service, setup.HostIdentity));
        await restarted.WaitForLineAsync("Serving IGreeter");
        string recovered = await WaitForOkAfterAsync(client, failedAt);

        failure.ShouldMatch(@"failed \d+: (ZapException|ZtConnectionException): .+");
        recovered.ShouldContain("hello, call");
        client.HasExited.ShouldBeFalse();
    }

    [Fact]
    public async Task A_client_started_before_its_server_fails_typed_then_succeeds_once_the_server_binds()
    {
        var setup = await Fabric.CreateServiceAsync("greeter-late");
        var client = Fabric.StartGreeter(Host("client", setup.Service, setup.ClientIdentity));
        string failure = await client.WaitForLineAsync("failed 1: ");

        var server = Fabric.StartGreeter(Host("server", setup.Service, setup.HostIdentity));
        await server.WaitForLineAsync("Serving IGreeter");
        string ok = await WaitForOkAfterAsync(client, 1);

        failure.ShouldMatch(@"failed 1: ZtConnectionException: .+");
        ok.ShouldContain("hello, call");
    }

    [Fact]
    public async Task A_process_signs_in_with_an_IAM_token_and_no_identity_file()
    {
        var setup = await Fabric.CreateServiceAsync("greeter-iam");
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string issuer = "https://iam.test/" + Guid.NewGuid().ToString("N")[..8];
        string org = "org" + Guid.NewGuid().ToString("N")[..6];
        await Fabric.Admin.PostAsync("external-jwt-signers", new
        {
            name = "iam-" + org,
            issuer,
            audience = "zt-test",
            certPem = issuerKey.ExportSubjectPublicKeyInfoPem(),
            useExternalId = true,
            provisionIdentities = true,
            roleAttributesClaim = "roles",
        });
        await Fabric.Admin.PostAsync("service-policies", new
        {
            name = "dial-" + org,
            type = "Dial",
            identityRoles = new[] { "#" + org + "-callers" },
            serviceRoles = new[] { "@" + setup.Service },
            semantic = "AnyOf",
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string jwt = CompactJws.Create(
            new JsonObject
            {
                ["iss"] = issuer,
                ["aud"] = "zt-test",
                ["sub"] = Guid.NewGuid().ToString(),
                ["owner"] = org,
                ["name"] = "alice",
                ["roles"] = new JsonArray(org + "-callers"),
                ["iat"] = now,
                ["exp"] = now + 600,
            },
            issuerKey,
            keyId: null);
        string caFile = Path.Combine(Fabric.Root, $"ca-{org}.pem");
        using (var bootstrap = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
        {
            await File.WriteAllTextAsync(caFile, await bootstrap.GetStringAsync(new Uri(Fabric.ControllerUrl, "/edge/client/v1/.well-known/est/cacerts")));
        }

        var home = Directory.CreateDirectory(Path.Combine(Fabric.Root, "home-" + org)).FullName;
        var server = Fabric.StartGreeter(Host("server", setup.Service, setup.HostIdentity));
        await server.WaitForLineAsync("Serving IGreeter");
        var client = Fabric.StartGreeter(Host("client", setup.Service, identityFile: null,
            ("HanzoZt__ControllerUrl", Fabric.ControllerUrl.ToString()),
            ("HanzoZt__ControllerCa", caFile),
            ("HANZO_API_KEY", jwt),
            ("HOME", home),
            ("Calls", "3")));

        await client.WaitForLineAsync("done 3");
        var identities = await Fabric.Admin.GetAsync($"identities?filter={Uri.EscapeDataString($"name=\"{org}/alice\"")}");

        client.Transcript.ShouldContain("ok 3: hello, call 3");
        identities.ToString().ShouldContain($"{org}/alice");
    }

    private static int Number(string line) => int.Parse(line.Split(' ', ':')[1], System.Globalization.CultureInfo.InvariantCulture);

    // The first "ok N" printed for a call made after call number `after`.
    private static async Task<string> WaitForOkAfterAsync(ZtChildProcess client, int after)
    {
        for (int n = after + 1; ; n++)
        {
            var line = await client.WaitForLineAsync($" {n}: ");
            if (line.StartsWith("ok ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
