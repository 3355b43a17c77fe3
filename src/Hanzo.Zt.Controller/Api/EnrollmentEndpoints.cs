using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Hanzo.Zt.Controller.Auth;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Pki;
using Hanzo.Zt.Controller.Store;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Controller.Api;

/// <summary>
/// Certificate issuance: one-time-token enrollment of identities (<c>ott</c>) and routers (<c>erott</c>), and
/// short-lived certificates for an API session (after an ext-jwt or password login).
/// </summary>
internal static class EnrollmentEndpoints
{
    internal sealed record CsrBody([property: JsonPropertyName("csr")] string? Csr);

    /// <summary><c>POST /enroll?method=ott|erott&amp;token=…</c> with a PEM CSR (raw, or JSON <c>{csr}</c>).</summary>
    public static async Task<IResult> EnrollAsync(HttpContext context, ControllerState state, string? method, string? token)
    {
        if (method is not ("ott" or "erott"))
            throw new ApiException(400, "INVALID_ENROLLMENT_METHOD", $"enrollment method '{method}' is not supported; use ott or erott", new { field = "method" });
        if (string.IsNullOrEmpty(token) || token.Length > 256)
            throw ApiException.Invalid("the one-time token (query parameter 'token') is required", "token");

        var enrollment = await state.Store.Enrollments.FindByLookupAsync(SecretTokens.Hash(token), context.RequestAborted);
        if (enrollment is null || enrollment.Method != method || !SecretTokens.HashEquals(enrollment.TokenHash, SecretTokens.Hash(token)))
            throw new ApiException(400, "INVALID_ENROLLMENT_TOKEN", "the enrollment token is not valid (unknown, already used, or for another method)");
        if (enrollment.ExpiresAt <= state.Now)
            throw new ApiException(400, "INVALID_ENROLLMENT_TOKEN", $"the enrollment token expired at {enrollment.ExpiresAt:O}; ask an administrator for a new one");
        var csr = await ReadCsrAsync(context);

        X509Certificate2 certificate;
        if (method == "ott")
        {
            var identity = await state.Store.Identities.GetAsync(enrollment.SubjectId, context.RequestAborted)
                ?? throw ApiException.NotFound("identity", enrollment.SubjectId);
            if (await ApiSessionResolver.IsRevokedAsync(state.Store, RevocationTypes.Identity, identity.Id, context.RequestAborted))
                throw ApiException.InvalidAuth($"identity '{identity.Name}' is revoked and cannot enroll");
            certificate = Sign(state, csr, "identity", identity.Id, [identity.Id, identity.Name], state.Options.EnrolledCertificateLifetime, null);
            await ClaimAsync(state, enrollment, context.RequestAborted);
            var issued = Issued(certificate, "enroll");
            await UpdateWithRetryAsync(state.Store.Identities, identity.Id,
                i => i with { Certificates = [.. i.Certificates, issued] }, context.RequestAborted);
        }
        else
        {
            var router = await state.Store.EdgeRouters.GetAsync(enrollment.SubjectId, context.RequestAborted)
                ?? throw ApiException.NotFound("edge router", enrollment.SubjectId);
            certificate = Sign(state, csr, "router", router.Id, [router.Id, router.Name, router.Hostname], state.Options.EnrolledCertificateLifetime, router.Hostname);
            await ClaimAsync(state, enrollment, context.RequestAborted);
            var issued = Issued(certificate, "erott");
            await UpdateWithRetryAsync(state.Store.EdgeRouters, router.Id,
                r => r with { IsVerified = true, Certificates = [.. r.Certificates, issued] }, context.RequestAborted);
        }
        return Respond(context, state, certificate);
    }

    /// <summary><c>POST /current-api-session/certificates {csr}</c>: a short-lived client certificate for the caller.</summary>
    public static async Task<IResult> ApiSessionCertificateAsync(HttpContext context, ApiSessionResolver sessions, ControllerState state)
    {
        var caller = await sessions.RequireAsync(context);
        var csr = await ReadCsrAsync(context);
        var lifetime = state.Options.ApiSessionCertificateLifetime;
        // No renewal chain: a session made with a certificate never obtains one that outlives it.
        if (caller.ApiSession.CertificateNotAfter is { } limit && limit - state.Now < lifetime)
        {
            lifetime = limit - state.Now;
            if (lifetime <= TimeSpan.Zero)
                throw ApiException.Unauthorized("the certificate this API session authenticated with has expired; enroll or authenticate again");
        }
        var certificate = Sign(state, csr, "identity", caller.Identity.Id, [caller.Identity.Id, caller.Identity.Name], lifetime, null);
        var issued = Issued(certificate, "api-session") with { ApiSessionId = caller.ApiSession.Id };
        await UpdateWithRetryAsync(state.Store.Identities, caller.Identity.Id,
            i => i with { Certificates = [.. i.Certificates.Where(c => c.NotAfter > state.Now), issued] },
            context.RequestAborted);
        return Envelope.Created(new
        {
            id = CertificateAuthority.SerialOf(certificate),
            certificate = certificate.ExportCertificatePem(),
            cas = state.Ca.CertificatePem,
            expiresAt = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
        });
    }

    /// <summary>Uses up the one-time token; of two concurrent enrollments with it, only one gets here.</summary>
    private static async Task ClaimAsync(ControllerState state, EnrollmentRecord enrollment, CancellationToken cancellationToken)
    {
        if (!await state.Store.Enrollments.DeleteAsync(enrollment.Id, cancellationToken))
            throw new ApiException(400, "INVALID_ENROLLMENT_TOKEN", "the enrollment token was used by a concurrent request");
    }

    private static async Task UpdateWithRetryAsync<T>(IEntityRepository<T> repository, string id, Func<T, T> change, CancellationToken cancellationToken)
        where T : StoredEntity
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await repository.GetAsync(id, cancellationToken) ?? throw ApiException.NotFound("entity", id);
            try
            {
                await repository.UpdateAsync(change(current), cancellationToken);
                return;
            }
            catch (StoreConflictException) when (attempt < 3)
            {
                // Someone else changed it meanwhile: apply the change to the fresh version.
            }
        }
    }

    private static X509Certificate2 Sign(ControllerState state, string csr, string kind, string id, string[] subjects, TimeSpan lifetime, string? hostname)
    {
        try
        {
            return state.Ca.SignCsr(csr, kind, id, subjects, state.Now, lifetime, hostname);
        }
        catch (CsrValidationException e)
        {
            throw ApiException.Invalid(e.Message, "csr");
        }
    }

    private static async Task<string> ReadCsrAsync(HttpContext context)
    {
        var csr = context.Request.HasJsonContentType()
            ? (await RequestReader.ReadJsonAsync<CsrBody>(context)).Csr
            : await RequestReader.ReadTextAsync(context);
        if (string.IsNullOrWhiteSpace(csr) || !csr.Contains("-----BEGIN CERTIFICATE REQUEST-----", StringComparison.Ordinal))
            throw ApiException.Invalid("a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----) is required", "csr");
        return csr;
    }

    private static IssuedCertificate Issued(X509Certificate2 certificate, string source)
    {
        ControllerMetrics.CertificatesIssued.Add(1, new KeyValuePair<string, object?>("source", source));
        return new(CertificateAuthority.SerialOf(certificate), CertificateAuthority.FingerprintOf(certificate),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), source);
    }

    private static IResult Respond(HttpContext context, ControllerState state, X509Certificate2 certificate)
    {
        var pem = certificate.ExportCertificatePem();
        if (context.Request.Headers.Accept.ToString().Contains("application/x-pem-file", StringComparison.OrdinalIgnoreCase))
            return Results.Text(pem + "\n", "application/x-pem-file");
        return Envelope.Ok(new { cert = pem, ca = state.Ca.CertificatePem });
    }
}
