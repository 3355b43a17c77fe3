using System.Net;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Store.Sqlite;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

public class PersistenceTests
{
    [Fact]
    public async Task A_restarted_controller_keeps_all_state()
    {
        var dir = Create();
        try
        {
            string caThumbprint, identityId, serviceId, token, sessionToken, revokedId;
            System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
            await using (var host = await ControllerHost.StartAsync(ControllerFixture.Options(dir)))
            {
                caThumbprint = host.CaCertificate.Thumbprint;
                var admin = await ZtApi.LoginAsync(ZtApi.Create(host), "admin", ControllerFixture.AdminPassword);
                var created = await admin.PostAsync("/edge/management/v1/identities", new { name = "web", roleAttributes = new[] { "frontend" }, enrollment = new { ott = true } });
                identityId = created.Data.GetProperty("id").GetString()!;
                var jwt = CompactJws.Parse(created.Data.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!);
                var (key, csr) = Pem.EcCsr();
                var enrolled = await admin.SendAsync(HttpMethod.Post, $"/edge/client/v1/enroll?method=ott&token={jwt.GetClaim("jti")}", rawBody: csr, contentType: "application/x-pem-file");
                certificate = Pem.WithKey(enrolled.Data.GetProperty("cert").GetString()!, key);
                serviceId = (await admin.PostAsync("/edge/management/v1/services", new { name = "db" })).Data.GetProperty("id").GetString()!;
                await admin.PostAsync("/edge/management/v1/service-policies", new { name = "web-dials-db", type = "Dial", serviceRoles = new[] { "@db" }, identityRoles = new[] { "#frontend" } });
                await admin.PostAsync("/edge/management/v1/edge-routers", new { name = "r1", hostname = "r1.example.test" });
                await admin.PostAsync("/edge/management/v1/external-jwt-signers", new { name = "iam", issuer = "https://iam.example.test", audience = "zt", jwksEndpoint = "https://iam.example.test/jwks" });
                await admin.PostAsync("/edge/management/v1/auth-policies", new { name = "strict" });
                revokedId = (await admin.PostAsync("/edge/management/v1/identities", new { name = "gone" })).Data.GetProperty("id").GetString()!;
                await admin.PostAsync("/edge/management/v1/revocations", new { type = "IDENTITY", target = revokedId });
                var web = ZtApi.Create(host, certificate);
                web.Token = (await web.PostAsync("/edge/client/v1/authenticate?method=cert")).Data.GetProperty("token").GetString();
                token = web.Token!;
                sessionToken = (await web.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Dial" })).Data.GetProperty("token").GetString()!;
            }

            await using (var host = await ControllerHost.StartAsync(ControllerFixture.Options(dir, adminPassword: null)))
            {
                host.CaCertificate.Thumbprint.ShouldBe(caThumbprint);
                var admin = await ZtApi.LoginAsync(ZtApi.Create(host), "admin", ControllerFixture.AdminPassword);
                foreach (var (path, name) in new[] { ("identities", "web"), ("services", "db"), ("service-policies", "web-dials-db"), ("edge-routers", "r1"), ("external-jwt-signers", "iam"), ("auth-policies", "strict") })
                    (await admin.GetAsync($"/edge/management/v1/{path}?limit=100")).Names.ShouldContain(name, path);
                (await admin.GetAsync("/edge/management/v1/revocations")).Data.EnumerateArray().ShouldContain(r => r.GetProperty("target").GetString() == revokedId);

                // The API session survives, the enrolled certificate still logs in, and old session tokens still verify.
                var web = ZtApi.Create(host, certificate);
                web.Token = token;
                (await web.GetAsync("/edge/client/v1/current-identity")).Data.GetProperty("id").GetString().ShouldBe(identityId);
                (await ZtApi.Create(host, certificate).PostAsync("/edge/client/v1/authenticate?method=cert")).ShouldBeOk();
                new SessionTokenVerifier(host.SigningKeys).Verify(sessionToken).ServiceId.ShouldBe(serviceId);
                (await web.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Dial" })).Status.ShouldBe(HttpStatusCode.Created);
            }
        }
        finally
        {
            Delete(dir);
        }
    }

    [Fact]
    public async Task First_start_without_an_admin_password_is_refused_and_creates_nothing()
    {
        var dir = Create();
        try
        {
            var e = await Should.ThrowAsync<ZtConfigurationException>(() => ControllerHost.StartAsync(ControllerFixture.Options(dir, adminPassword: null)));

            e.Message.ShouldContain("ZT_ADMIN_PASSWORD");
            Directory.EnumerateFileSystemEntries(dir).ShouldBeEmpty();
        }
        finally
        {
            Delete(dir);
        }
    }

    [Fact]
    public async Task Invalid_options_are_all_named_at_once()
    {
        var options = ControllerFixture.Options("");
        options.PasswordIterations = 0;
        options.SessionTokenLifetime = TimeSpan.Zero;

        var e = await Should.ThrowAsync<ZtConfigurationException>(() => ControllerHost.StartAsync(options));

        e.Message.ShouldContain("data directory");
        e.Message.ShouldContain("PasswordIterations");
        e.Message.ShouldContain("SessionTokenLifetime");
    }

    [Fact]
    public async Task A_url_that_is_not_https_is_refused()
    {
        var options = ControllerFixture.Options(Create());
        options.Url = "http://127.0.0.1:0";

        (await Should.ThrowAsync<ZtConfigurationException>(() => ControllerHost.StartAsync(options))).Message.ShouldContain("https");
        Delete(options.DataDirectory);
    }

    [Fact]
    public async Task The_key_file_is_private_and_a_wrong_controller_key_is_refused()
    {
        var dir = Create();
        try
        {
            await (await ControllerHost.StartAsync(ControllerFixture.Options(dir))).DisposeAsync();
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(Path.Combine(dir, "controller.key")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var options = ControllerFixture.Options(dir);
            options.MasterKey = "a different key";
            var e = await Should.ThrowAsync<ZtConfigurationException>(() => ControllerHost.StartAsync(options));
            e.Message.ShouldContain("does not decrypt");
        }
        finally
        {
            Delete(dir);
        }
    }

    [Fact]
    public async Task A_configured_controller_key_replaces_the_key_file()
    {
        var dir = Create();
        try
        {
            var options = ControllerFixture.Options(dir);
            options.MasterKey = Convert.ToBase64String(new byte[32]);
            await (await ControllerHost.StartAsync(options)).DisposeAsync();
            File.Exists(Path.Combine(dir, "controller.key")).ShouldBeFalse();

            options.AdminPassword = null;
            await (await ControllerHost.StartAsync(options)).DisposeAsync();
        }
        finally
        {
            Delete(dir);
        }
    }
}

public class ExpiryTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Expired_api_sessions_stop_working_and_are_purged()
    {
        var dir = Create();
        try
        {
            var time = new ManualTime();
            var options = ControllerFixture.Options(dir);
            options.TimeProvider = time;
            await using var host = await ControllerHost.StartAsync(options);
            var admin = await ZtApi.LoginAsync(ZtApi.Create(host), "admin", ControllerFixture.AdminPassword);
            await admin.PostAsync("/edge/management/v1/identities", new { name = "later", enrollment = new { ott = true } });

            time.Now += TimeSpan.FromDays(2);

            (await admin.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(System.Net.HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            (await host.PurgeExpiredAsync()).ShouldBeGreaterThan(0);
            (await host.State.Store.Enrollments.ListAsync()).ShouldBeEmpty();
            (await host.State.Store.ApiSessions.ListAsync()).ShouldBeEmpty();
        }
        finally
        {
            Delete(dir);
        }
    }
}
