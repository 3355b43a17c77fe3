using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Controller.Tokens;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

public abstract class EnrollmentTests(ControllerFixture fixture)
{
    private async Task<(string Id, string Jwt, CompactJws Claims)> CreateEnrollingIdentityAsync(string name)
    {
        var created = await fixture.Admin.PostAsync("/edge/management/v1/identities", new { name, type = "Device", enrollment = new { ott = true } });
        created.ShouldBeOk();
        var id = created.Data.GetProperty("id").GetString()!;
        var jwt = created.Data.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!;
        return (id, jwt, CompactJws.Parse(jwt));
    }

    private async Task<(X509Certificate2 Certificate, string Pem)> EnrollAsync(string jwt, ECDsa key, string csr)
    {
        var token = CompactJws.Parse(jwt).GetClaim("jti");
        var response = await fixture.Anonymous.SendAsync(HttpMethod.Post, $"/edge/client/v1/enroll?method=ott&token={token}",
            rawBody: csr, contentType: "application/x-pem-file");
        response.ShouldBeOk();
        var pem = response.Data.GetProperty("cert").GetString()!;
        return (Pem.WithKey(pem, key), pem);
    }

    [Fact]
    public async Task Enrollment_jwt_carries_method_token_issuer_subject_and_expiry_signed_by_the_controller()
    {
        var (id, jwt, claims) = await CreateEnrollingIdentityAsync(Unique("device"));

        claims.GetClaim("em").ShouldBe("ott");
        claims.GetClaim("sub").ShouldBe(id);
        claims.GetClaim("iss").ShouldBe(fixture.Host.Url.GetLeftPart(UriPartial.Authority));
        claims.GetClaim("jti")!.Length.ShouldBeGreaterThan(30);
        claims.GetTime("exp")!.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        using var key = fixture.Host.SigningKeys.Find(claims.KeyId)!.ToPublicKey();
        claims.VerifySignature(key).ShouldBeTrue();
        claims.GetClaim(EnrollmentToken.PinClaim).ShouldBe(EnrollmentToken.FingerprintOf(fixture.Host.CaCertificate));
        CompactJws.Parse((await fixture.Admin.GetAsync($"/edge/management/v1/identities/{id}")).Data
            .GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!).GetClaim("jti").ShouldBe(claims.GetClaim("jti"));
    }

    [Fact]
    public async Task Ott_enrollment_issues_a_certificate_that_chains_to_the_ca_and_names_the_identity()
    {
        var name = Unique("device");
        var (id, jwt, _) = await CreateEnrollingIdentityAsync(name);
        var (key, csr) = Pem.EcCsr();

        var (certificate, _) = await EnrollAsync(jwt, key, csr);

        ZtApi.TrustedBy(fixture.Host.CaCertificate, certificate).ShouldBeTrue();
        certificate.GetNameInfo(X509NameType.SimpleName, false).ShouldBe(id);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        san.Format(false).ShouldContain($"spiffe://hanzo.zt/identity/{id}");
        certificate.NotAfter.ShouldBeGreaterThan(DateTime.Now.AddDays(300));
    }

    [Fact]
    public async Task Enrollment_accepts_a_json_csr_and_returns_raw_pem_when_asked()
    {
        var (_, jwt, claims) = await CreateEnrollingIdentityAsync(Unique("device"));
        var (_, csr) = Pem.EcCsr();

        var response = await fixture.Anonymous.SendAsync(HttpMethod.Post, $"/edge/client/v1/enroll?method=ott&token={claims.GetClaim("jti")}",
            body: new { csr }, configure: r => r.Headers.Accept.ParseAdd("application/x-pem-file"));

        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        response.Text.ShouldStartWith("-----BEGIN CERTIFICATE-----");
    }

    [Fact]
    public async Task The_enrollment_token_works_once()
    {
        var (_, jwt, claims) = await CreateEnrollingIdentityAsync(Unique("device"));
        var (key, csr) = Pem.EcCsr();
        await EnrollAsync(jwt, key, csr);

        var again = await fixture.Anonymous.SendAsync(HttpMethod.Post, $"/edge/client/v1/enroll?method=ott&token={claims.GetClaim("jti")}",
            rawBody: csr, contentType: "application/x-pem-file");

        again.ShouldBeError(HttpStatusCode.BadRequest, "INVALID_ENROLLMENT_TOKEN");
    }

    [Fact]
    public async Task Concurrent_enrollments_with_one_token_issue_one_certificate()
    {
        var (id, _, claims) = await CreateEnrollingIdentityAsync(Unique("device"));
        var attempts = Enumerable.Range(0, 4).Select(_ => fixture.CreateApi().SendAsync(HttpMethod.Post,
            $"/edge/client/v1/enroll?method=ott&token={claims.GetClaim("jti")}", rawBody: Pem.EcCsr().Csr, contentType: "application/x-pem-file"));

        var results = await Task.WhenAll(attempts);

        results.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(1);
        results.Where(r => r.Status != HttpStatusCode.OK).ShouldAllBe(r => r.Status == HttpStatusCode.BadRequest);
        (await fixture.Admin.GetAsync($"/edge/management/v1/identities/{id}")).Data
            .GetProperty("authenticators").GetProperty("cert").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task An_enrolled_certificate_logs_in_with_cert_auth()
    {
        var name = Unique("device");
        var (id, jwt, _) = await CreateEnrollingIdentityAsync(name);
        var (key, csr) = Pem.EcCsr($"CN={name}");
        var (certificate, _) = await EnrollAsync(jwt, key, csr);

        var api = fixture.CreateApi(certificate);
        var login = await api.PostAsync("/edge/client/v1/authenticate?method=cert");

        login.ShouldBeOk();
        login.Data.GetProperty("identity").GetProperty("id").GetString().ShouldBe(id);
        login.Data.GetProperty("authMethod").GetString().ShouldBe("cert");
    }

    [Fact]
    public async Task Cert_login_without_a_certificate_or_with_a_foreign_one_is_refused()
    {
        (await fixture.Anonymous.PostAsync("/edge/client/v1/authenticate?method=cert")).ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = new CertificateRequest("CN=intruder", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var login = await fixture.CreateApi(X509CertificateLoader.LoadPkcs12(foreign.Export(X509ContentType.Pkcs12), null))
            .PostAsync("/edge/client/v1/authenticate?method=cert");

        login.ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        login.ErrorMessage.ShouldContain("does not chain");
    }

    [Theory]
    [InlineData("rsa1024", "at least 2048")]
    [InlineData("subject", "does not name this identity")]
    [InlineData("garbage", "PEM certificate signing request")]
    [InlineData("tampered", "valid signature")]
    public async Task Bad_csrs_are_refused_with_COULD_NOT_VALIDATE(string kind, string message)
    {
        var (_, _, claims) = await CreateEnrollingIdentityAsync(Unique("device"));
        string csr;
        switch (kind)
        {
            case "rsa1024":
                using (var rsa = RSA.Create(1024)) csr = new CertificateRequest("", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
                break;
            case "subject":
                csr = Pem.EcCsr("CN=somebody-else").Csr;
                break;
            case "tampered":
                var good = Pem.EcCsr("CN=abcdefgh").Csr;
                var lines = good.Split('\n');
                var body = Convert.FromBase64String(string.Concat(lines[1..^1]));
                body[body.Length - 10] ^= 0x5a;
                csr = PemEncoding.WriteString("CERTIFICATE REQUEST", body);
                break;
            default:
                csr = "hello";
                break;
        }

        var response = await fixture.Anonymous.SendAsync(HttpMethod.Post, $"/edge/client/v1/enroll?method=ott&token={claims.GetClaim("jti")}",
            rawBody: csr, contentType: "application/x-pem-file");

        response.ShouldBeError(HttpStatusCode.BadRequest, "COULD_NOT_VALIDATE");
        response.ErrorMessage.ShouldContain(message);
    }

    [Fact]
    public async Task Router_enrollment_issues_a_client_and_server_certificate_and_the_router_joins_sessions()
    {
        var name = Unique("router");
        var created = await fixture.Admin.PostAsync("/edge/management/v1/edge-routers",
            new { name, hostname = "router1.example.test", supportedProtocols = new Dictionary<string, string> { ["tls"] = "tls://router1.example.test:3022" } });
        created.ShouldBeOk();
        var jwt = CompactJws.Parse(created.Data.GetProperty("enrollmentJwt").GetString()!);
        jwt.GetClaim("em").ShouldBe("erott");
        var (key, csr) = Pem.EcCsr();

        var enrolled = await fixture.Anonymous.SendAsync(HttpMethod.Post, $"/edge/client/v1/enroll?method=erott&token={jwt.GetClaim("jti")}",
            rawBody: csr, contentType: "application/x-pem-file");

        enrolled.ShouldBeOk();
        using var certificate = X509Certificate2.CreateFromPem(enrolled.Data.GetProperty("cert").GetString()!);
        ZtApi.TrustedBy(fixture.Host.CaCertificate, certificate).ShouldBeTrue();
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        eku.ShouldBe(["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1"], ignoreOrder: true);
        certificate.MatchesHostname("router1.example.test").ShouldBeTrue();
        key.Dispose();

        var (identityId, api) = await fixture.CreateUserAsync(Unique("user"));
        var serviceId = await fixture.CreateAsync("services", new { name = Unique("svc") });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", serviceRoles = new[] { "@" + serviceId }, identityRoles = new[] { "@" + identityId } });
        var session = await api.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Dial" });
        var router = session.Data.GetProperty("edgeRouters").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
        router.GetProperty("hostname").GetString().ShouldBe("router1.example.test");
        router.GetProperty("urls").GetProperty("tls").GetString().ShouldBe("tls://router1.example.test:3022");
    }

    [Fact]
    public async Task A_revoked_identity_can_no_longer_log_in_or_use_its_sessions()
    {
        var name = Unique("device");
        var (id, jwt, _) = await CreateEnrollingIdentityAsync(name);
        var (key, csr) = Pem.EcCsr();
        var (certificate, _) = await EnrollAsync(jwt, key, csr);
        var certApi = fixture.CreateApi(certificate);
        certApi.Token = (await certApi.PostAsync("/edge/client/v1/authenticate?method=cert")).Data.GetProperty("token").GetString();

        (await fixture.Admin.PostAsync("/edge/management/v1/revocations", new { type = "IDENTITY", target = id, reason = "lost laptop" })).ShouldBeOk();

        (await certApi.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var relogin = await fixture.CreateApi(certificate).PostAsync("/edge/client/v1/authenticate?method=cert");
        relogin.ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        relogin.ErrorMessage.ShouldContain("revoked");
        (await fixture.Anonymous.GetAsync("/edge/client/v1/revocations")).Data.EnumerateArray()
            .ShouldContain(r => r.GetProperty("type").GetString() == "IDENTITY" && r.GetProperty("target").GetString() == id);
    }

    [Fact]
    public async Task A_revoked_certificate_serial_can_no_longer_log_in()
    {
        var (_, jwt, _) = await CreateEnrollingIdentityAsync(Unique("device"));
        var (key, csr) = Pem.EcCsr();
        var (certificate, _) = await EnrollAsync(jwt, key, csr);

        (await fixture.Admin.PostAsync("/edge/management/v1/revocations", new { type = "CERTIFICATE", target = certificate.SerialNumber })).ShouldBeOk();

        var login = await fixture.CreateApi(certificate).PostAsync("/edge/client/v1/authenticate?method=cert");
        login.ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        login.ErrorMessage.ShouldContain("revoked");
    }
}
