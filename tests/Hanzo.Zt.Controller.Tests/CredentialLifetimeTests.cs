using System.Net;
using System.Security.Cryptography.X509Certificates;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>A controller whose enrolled certificates live shorter than the ones an API session may obtain.</summary>
public sealed class CredentialLifetimeFixture : IAsyncLifetime
{
    public ControllerFixture Controller { get; } = new(o =>
    {
        o.EnrolledCertificateLifetime = TimeSpan.FromHours(1);
        o.ApiSessionCertificateLifetime = TimeSpan.FromHours(2);
    });

    public Task InitializeAsync() => Controller.InitializeAsync();

    public Task DisposeAsync() => Controller.DisposeAsync();
}

/// <summary>Credentials end when what they came from ends: every attack here uses a credential that should be dead.</summary>
public class CredentialLifetimeTests(CredentialLifetimeFixture fixture) : IClassFixture<CredentialLifetimeFixture>
{
    private ControllerFixture Controller => fixture.Controller;

    private async Task<X509Certificate2> ObtainCertificateAsync(ZtApi api)
    {
        var (key, csr) = Pem.EcCsr();
        var issued = await api.PostAsync("/edge/client/v1/current-api-session/certificates", new { csr });
        issued.ShouldBeOk();
        return Pem.WithKey(issued.Data.GetProperty("certificate").GetString()!, key);
    }

    private Task<ApiResponse> CertificateLoginAsync(X509Certificate2 certificate) =>
        Controller.CreateApi(certificate).PostAsync("/edge/client/v1/authenticate?method=cert");

    private async Task<ZtApi> CertificateSessionAsync(X509Certificate2 certificate)
    {
        var login = await CertificateLoginAsync(certificate);
        login.ShouldBeOk();
        var api = Controller.CreateApi(certificate);
        api.Token = login.Data.GetProperty("token").GetString();
        return api;
    }

    private async Task<HashSet<string>> RevokedAsync()
    {
        var feed = await Controller.Anonymous.GetAsync("/edge/client/v1/revocations");
        feed.ShouldBeOk();
        return feed.Data.EnumerateArray().Select(r => r.GetProperty("type").GetString() + ":" + r.GetProperty("target").GetString()).ToHashSet();
    }

    private async Task<string> DialSessionAsync(ZtApi api, string service)
    {
        var session = await api.PostAsync("/edge/client/v1/sessions", new { serviceName = service, type = "Dial" });
        session.ShouldBeOk();
        return session.Data.GetProperty("id").GetString()!;
    }

    private async Task<(string IdentityId, ZtApi Api, string Service, string PolicyId)> DialerAsync(params string[] attributes)
    {
        var (id, api) = await Controller.CreateUserAsync(Unique("dialer"), attributes);
        var service = Unique("svc");
        await Controller.CreateAsync("services", new { name = service });
        var policyId = await Controller.CreateAsync("service-policies",
            new { name = Unique("dial"), type = "Dial", semantic = "AnyOf", serviceRoles = new[] { "@" + service }, identityRoles = new[] { attributes.Length > 0 ? "#" + attributes[0] : "@" + id } });
        return (id, api, service, policyId);
    }

    [Fact]
    public async Task Logging_out_ends_the_certificate_the_api_session_obtained_and_the_sessions_made_with_it()
    {
        var (_, api) = await Controller.CreateUserAsync(Unique("alice"));
        var certificate = await ObtainCertificateAsync(api);
        var certificateSession = await CertificateSessionAsync(certificate);

        (await api.DeleteAsync("/edge/client/v1/current-api-session")).ShouldBeOk();

        (await certificateSession.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        (await CertificateLoginAsync(certificate)).ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        (await RevokedAsync()).ShouldContain("CERTIFICATE:" + certificate.SerialNumber.ToLowerInvariant());
    }

    [Fact]
    public async Task A_password_reset_ends_password_sessions_and_the_certificates_they_obtained()
    {
        var (id, api) = await Controller.CreateUserAsync(Unique("bob"));
        var certificate = await ObtainCertificateAsync(api);

        (await Controller.Admin.PatchAsync($"/edge/management/v1/identities/{id}", new { password = "a-new-password-2" })).ShouldBeOk();

        (await api.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        (await CertificateLoginAsync(certificate)).ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
    }

    [Fact]
    public async Task An_auth_policy_that_stops_allowing_passwords_ends_password_sessions()
    {
        var (id, api) = await Controller.CreateUserAsync(Unique("carol"));
        var policyId = await Controller.CreateAsync("auth-policies", new { name = Unique("passwords"), primary = new { updb = new { allowed = true } } });
        (await Controller.Admin.PatchAsync($"/edge/management/v1/identities/{id}", new { authPolicyId = policyId })).ShouldBeOk();
        (await api.GetAsync("/edge/client/v1/current-identity")).ShouldBeOk();

        (await Controller.Admin.PatchAsync($"/edge/management/v1/auth-policies/{policyId}", new { primary = new { updb = new { allowed = false } } })).ShouldBeOk();

        (await api.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_certificate_session_cannot_obtain_a_certificate_that_outlives_its_own()
    {
        var created = await Controller.Admin.PostAsync("/edge/management/v1/identities", new { name = Unique("device"), type = "Device", enrollment = new { ott = true } });
        var jwt = created.Data.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!;
        var (key, csr) = Pem.EcCsr();
        var enrolled = await Controller.Anonymous.SendAsync(HttpMethod.Post, $"/edge/client/v1/enroll?method=ott&token={CompactJws.Parse(jwt).GetClaim("jti")}",
            rawBody: csr, contentType: "application/x-pem-file");
        enrolled.ShouldBeOk();
        var enrolledCertificate = Pem.WithKey(enrolled.Data.GetProperty("cert").GetString()!, key);
        var session = await CertificateSessionAsync(enrolledCertificate);

        var renewed = await ObtainCertificateAsync(session);
        var renewedAgain = await ObtainCertificateAsync(await CertificateSessionAsync(renewed));

        // An API session may obtain two hours; one made with a one-hour certificate gets no more than that hour.
        renewed.NotAfter.ShouldBeLessThanOrEqualTo(enrolledCertificate.NotAfter);
        renewedAgain.NotAfter.ShouldBeLessThanOrEqualTo(enrolledCertificate.NotAfter);
    }

    [Fact]
    public async Task Revoking_a_certificate_ends_the_api_sessions_and_sessions_made_with_it()
    {
        var (_, api, service, _) = await DialerAsync();
        var certificate = await ObtainCertificateAsync(api);
        var certificateSession = await CertificateSessionAsync(certificate);
        var sessionId = await DialSessionAsync(certificateSession, service);

        (await Controller.Admin.PostAsync("/edge/management/v1/revocations", new { type = "CERTIFICATE", target = certificate.SerialNumber })).ShouldBeOk();

        (await certificateSession.GetAsync("/edge/client/v1/current-identity")).ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        (await RevokedAsync()).ShouldContain("SESSION:" + sessionId);
        (await api.GetAsync("/edge/client/v1/current-identity")).ShouldBeOk();
    }

    [Fact]
    public async Task A_deleted_identity_is_revoked_with_everything_it_held()
    {
        var (id, api, service, _) = await DialerAsync();
        var certificate = await ObtainCertificateAsync(api);
        var sessionId = await DialSessionAsync(api, service);

        (await Controller.Admin.DeleteAsync($"/edge/management/v1/identities/{id}")).ShouldBeOk();

        var revoked = await RevokedAsync();
        revoked.ShouldContain("IDENTITY:" + id);
        revoked.ShouldContain("SESSION:" + sessionId);
        revoked.ShouldContain("CERTIFICATE:" + certificate.SerialNumber.ToLowerInvariant());
        (await CertificateLoginAsync(certificate)).ShouldBeError(HttpStatusCode.Unauthorized, "INVALID_AUTH");
        var again = await Controller.Admin.PostAsync("/edge/management/v1/revocations", new { type = "IDENTITY", target = id });
        again.ShouldBeOk();
    }

    [Fact]
    public async Task Deleting_the_dial_policy_ends_the_sessions_it_granted()
    {
        var (_, api, service, policyId) = await DialerAsync();
        var sessionId = await DialSessionAsync(api, service);

        (await Controller.Admin.DeleteAsync($"/edge/management/v1/service-policies/{policyId}")).ShouldBeOk();

        (await RevokedAsync()).ShouldContain("SESSION:" + sessionId);
    }

    [Fact]
    public async Task Roles_that_no_longer_match_end_the_sessions_they_granted()
    {
        var role = Unique("role");
        var (id, api, service, _) = await DialerAsync(role);
        var sessionId = await DialSessionAsync(api, service);

        (await Controller.Admin.PatchAsync($"/edge/management/v1/identities/{id}", new { roleAttributes = Array.Empty<string>() })).ShouldBeOk();

        (await RevokedAsync()).ShouldContain("SESSION:" + sessionId);
    }
}
