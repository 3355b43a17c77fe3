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
        // The token pins the controller: its CA, the TLS chain and the token's signature are checked first.
        var token = EnrollmentToken.Parse(jwt, "ott");
        var (caPem, ca, http) = await token.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var _ = ca;
        using var __ = http;
        var controller = token.Controller;

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = new CertificateRequest("", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var content = new StringContent(csr, System.Text.Encoding.ASCII, "application/x-pem-file");
        using var response = await http.PostAsync($"/edge/client/v1/enroll?method=ott&token={Uri.EscapeDataString(token.Secret)}", content, cancellationToken).ConfigureAwait(false);
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
