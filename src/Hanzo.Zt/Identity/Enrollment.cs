using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Edge;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Identity;

/// <summary>Enrolls an identity with a one-time token: the key is made here and never leaves; the controller signs a CSR.</summary>
public static class Enrollment
{
    /// <summary>The result of an enrollment: the controller, the key, the certificate and the CA, as PEM.</summary>
    public sealed record Result(Uri Controller, string KeyPem, string CertificatePem, string CaPem);

    /// <summary>Enrolls with an identity enrollment token (ott JWT).</summary>
    /// <exception cref="ZtIdentityException">The token is malformed, expired, used, or the controller refused it.</exception>
    public static async Task<Result> EnrollAsync(string jwt, CancellationToken cancellationToken = default)
    {
        CompactJws token;
        try
        {
            token = CompactJws.Parse(jwt.Trim());
        }
        catch (JwtException e)
        {
            throw new ZtIdentityException($"the enrollment token is not a JWT: {e.Message}", e);
        }

        if (token.GetClaim("em") != "ott")
        {
            throw new ZtIdentityException($"the enrollment token is for method '{token.GetClaim("em")}', not an identity (ott)");
        }

        if (token.GetTime("exp") is { } expires && expires < DateTimeOffset.UtcNow)
        {
            throw new ZtIdentityException($"the enrollment token expired at {expires:u}");
        }

        var controller = new Uri(token.GetClaim("iss") ?? throw new ZtIdentityException("the enrollment token names no controller (iss)"));

        // The CA comes from the token's issuer on first contact (as OpenZiti enrollment does); the token's
        // signature is then checked against the controller's keys fetched over TLS that this CA vouches for.
        string caPem;
        using (var bootstrap = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }))
        {
            caPem = await bootstrap.GetStringAsync(new Uri(controller, "/edge/client/v1/.well-known/est/cacerts"), cancellationToken).ConfigureAwait(false);
        }

        var ca = X509Certificate2.CreateFromPem(caPem);
        using var http = new HttpClient(ZtTls.ControllerHandler(ca))
        {
            BaseAddress = controller,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var keys = JsonWebKeySet.Parse(await http.GetStringAsync("/edge/client/v1/.well-known/jwks", cancellationToken).ConfigureAwait(false));
        using (var signer = keys.Find(token.KeyId)?.ToPublicKey())
        {
            if (signer is null || !token.VerifySignature(signer))
            {
                throw new ZtIdentityException("the enrollment token is not signed by the controller it names");
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = new CertificateRequest("", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var content = new StringContent(csr, System.Text.Encoding.ASCII, "application/x-pem-file");
        using var response = await http.PostAsync($"/edge/client/v1/enroll?method=ott&token={Uri.EscapeDataString(token.GetClaim("jti") ?? "")}", content, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ZtIdentityException($"enrollment was refused ({(int)response.StatusCode}): {ErrorOf(body)}");
        }

        string cert = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("cert").GetString()!;
        return new Result(controller, key.ExportPkcs8PrivateKeyPem(), cert, caPem);
    }

    internal static string ErrorOf(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
