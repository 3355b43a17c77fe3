using System.Text.Json;
using Hanzo.Zt.Controller;

namespace Hanzo.Zt.Cli.Tests;

/// <summary>
/// The admin verbs (<c>zt login</c>, <c>create</c>, <c>list</c>, <c>delete</c>) as real processes against a controller on
/// loopback, with the login stored under a temporary config folder (<c>XDG_CONFIG_HOME</c>).
/// </summary>
public sealed class AdminVerbTests : IAsyncLifetime
{
    private const string Password = "admin-password-1";
    private readonly string _root = Directory.CreateTempSubdirectory("hanzo-zt-admin-").FullName;
    private ControllerHost _controller = null!;

    private Dictionary<string, string> Environment => new() { ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"), ["ZT_PASSWORD"] = "" };

    public async Task InitializeAsync() =>
        _controller = await ControllerHost.StartAsync(new ControllerOptions
        {
            DataDirectory = Path.Combine(_root, "controller"),
            Url = "https://127.0.0.1:0",
            AdminPassword = Password,
            PasswordIterations = 1000,
        });

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task<(int ExitCode, string Output, string Error)> Zt(params string[] args) => ZtProcess.RunAsync(Environment, args);

    private async Task LoginAsync()
    {
        var (exit, _, error) = await Zt("login", _controller.Url.ToString(), "--username", "admin", "--password", Password);
        exit.ShouldBe(0, error);
    }

    [Fact]
    public async Task Login_trusts_the_controller_CA_on_first_use_showing_its_SHA256_fingerprint_and_stores_the_login_in_the_config_folder()
    {
        var (exit, output, error) = await Zt("login", _controller.Url.ToString(), "--password", Password);

        exit.ShouldBe(0, error);
        string fingerprint = string.Join(':', Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(_controller.CaCertificate.RawData)).Chunk(2).Select(c => new string(c)));
        output.ShouldContain(fingerprint);
        output.ShouldContain("trusted on first use");
        File.Exists(Path.Combine(_root, "config", "hanzo", "zt", "login.json")).ShouldBeTrue();
        var (again, secondOutput, _) = await Zt("login", _controller.Url.ToString(), "--password", Password);
        again.ShouldBe(0);
        secondOutput.ShouldContain("trusted before");
    }

    [Fact]
    public async Task Login_with_a_wrong_password_fails_with_one_line_and_stores_nothing()
    {
        var (exit, _, error) = await Zt("login", _controller.Url.ToString(), "--password", "wrong-password");

        exit.ShouldNotBe(0);
        error.Trim().Split('\n').Length.ShouldBe(1);
        error.ShouldStartWith("zt login: ");
        File.Exists(Path.Combine(_root, "config", "hanzo", "zt", "login.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task Create_list_and_delete_manage_identities_services_policies_and_routers()
    {
        await LoginAsync();
        string jwtFile = Path.Combine(_root, "web.jwt");
        string routerJwt = Path.Combine(_root, "router.jwt");

        (await Zt("create", "identity", "web", "--role-attributes", "frontend,eu", "--jwt-output-file", jwtFile)).ExitCode.ShouldBe(0);
        (await Zt("create", "service", "db", "-a", "data")).ExitCode.ShouldBe(0);
        var policy = await Zt("create", "service-policy", "web-dials-db", "Dial", "--identity-roles", "#frontend", "--service-roles", "@db");
        var router = await Zt("create", "edge-router", "edge-1", "--jwt-output-file", routerJwt);

        policy.ExitCode.ShouldBe(0, policy.Error);
        router.ExitCode.ShouldBe(0, router.Error);
        File.ReadAllText(jwtFile).Trim().Split('.').Length.ShouldBe(3);
        File.ReadAllText(routerJwt).Trim().Split('.').Length.ShouldBe(3);
        var identities = await Zt("list", "identities");
        identities.Output.ShouldContain("web");
        identities.Output.ShouldContain("frontend,eu");
        identities.Output.Split('\n')[0].ShouldStartWith("ID");
        var policies = await Zt("list", "service-policies", "--json");
        var listed = JsonDocument.Parse(policies.Output).RootElement.EnumerateArray().Single();
        listed.GetProperty("name").GetString().ShouldBe("web-dials-db");
        listed.GetProperty("identityRoles")[0].GetString().ShouldBe("#frontend");
        (await Zt("list", "edge-routers")).Output.ShouldContain("edge-1");

        var deleted = await Zt("delete", "identity", "web");
        deleted.ExitCode.ShouldBe(0, deleted.Error);
        (await Zt("list", "identities", "--filter", "name=\"web\"", "--json")).Output.Trim().ShouldBe("[]");
    }

    [Fact]
    public async Task Admin_verbs_before_login_say_to_run_zt_login()
    {
        var (exit, _, error) = await Zt("list", "services");

        exit.ShouldNotBe(0);
        error.Trim().Split('\n').Length.ShouldBe(1);
        error.ShouldContain("zt login");
    }

    [Fact]
    public async Task Deleting_what_does_not_exist_names_it()
    {
        await LoginAsync();

        var (exit, _, error) = await Zt("delete", "service", "no-such-service");

        exit.ShouldNotBe(0);
        error.Trim().ShouldBe("zt delete service: no service is named or has the id 'no-such-service'");
    }
}
