using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Tokens;

/// <summary>
/// A one-time enrollment token (JWT) and the controller it pins. The controller signs, with its session signing
/// key, <c>em</c> (<c>ott</c> for identities, <c>erott</c> for routers), <c>jti</c> (the one-time secret),
/// <c>iss</c> (its URL), <c>sub</c>, <c>exp</c> and <see cref="PinClaim"/>: the SHA-256 of its CA certificate.
/// <see cref="ConnectAsync"/> proves the controller at <c>iss</c> is that one (CA fingerprint, TLS chain, token
/// signature) before the secret is sent anywhere, so an interceptor of the connection learns nothing usable.
/// </summary>
public sealed class EnrollmentToken
{
    /// <summary>The claim holding the lower-case hex SHA-256 of the controller's CA certificate (DER).</summary>
    public const string PinClaim = "caSha256";

    private readonly CompactJws _jws;

    private EnrollmentToken(CompactJws jws, Uri controller, string secret, string pin)
    {
        _jws = jws;
        Controller = controller;
        Secret = secret;
        Pin = pin;
    }

    /// <summary>The controller the token names (<c>iss</c>).</summary>
    public Uri Controller { get; }

    /// <summary>The one-time secret (<c>jti</c>); send it only through <see cref="ConnectAsync"/>'s client.</summary>
    public string Secret { get; }

    /// <summary>The pinned CA fingerprint.</summary>
    public string Pin { get; }

    /// <summary>The SHA-256 (lower-case hex) of a CA certificate, as <see cref="PinClaim"/> spells it.</summary>
    public static string FingerprintOf(X509Certificate2 ca) => Convert.ToHexStringLower(SHA256.HashData(ca.RawData));

    /// <summary>Reads a token of method <paramref name="method"/> (<c>ott</c> or <c>erott</c>) and checks its expiry.</summary>
    /// <exception cref="ZtIdentityException">Not a JWT, another method, expired, or without an issuer or pin.</exception>
    public static EnrollmentToken Parse(string jwt, string method)
    {
        CompactJws jws;
        try
        {
            jws = CompactJws.Parse(jwt.Trim());
        }
        catch (JwtException e)
        {
            throw new ZtIdentityException($"the enrollment token is not a JWT: {e.Message}", e);
        }

        if (jws.GetClaim("em") != method)
        {
            throw new ZtIdentityException($"the enrollment token is for method '{jws.GetClaim("em")}', not '{method}'");
        }

        if (jws.GetTime("exp") is { } expires && expires < DateTimeOffset.UtcNow)
        {
            throw new ZtIdentityException($"the enrollment token expired at {expires:u}");
        }

        string issuer = jws.GetClaim("iss") ?? throw new ZtIdentityException("the enrollment token names no controller (iss)");
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var controller) || controller.Scheme != "https")
        {
            throw new ZtIdentityException($"the enrollment token's controller '{issuer}' is not an https URL");
        }

        string pin = jws.GetClaim(PinClaim) is { Length: 64 } p ? p.ToLowerInvariant()
            : throw new ZtIdentityException($"the enrollment token pins no controller ({PinClaim}); ask the administrator for a new token");
        string secret = jws.GetClaim("jti") is { Length: > 0 } jti ? jti : throw new ZtIdentityException("the enrollment token has no one-time secret (jti)");
        return new EnrollmentToken(jws, controller, secret, pin);
    }

    /// <summary>
    /// Reaches the controller the token pins: fetches its CA (public), requires its SHA-256 to equal the pin and
    /// the TLS certificate that served it to chain to it, then, over TLS trusting that CA alone, checks the token's
    /// signature with the controller's published keys. Nothing secret is sent before all three hold.
    /// </summary>
    /// <returns>The pinned CA (PEM and certificate) and an HTTP client that trusts only it.</returns>
    /// <exception cref="ZtIdentityException">The controller is not the pinned one, or the token is not its own.</exception>
    public async Task<(string CaPem, X509Certificate2 Ca, HttpClient Http)> ConnectAsync(CancellationToken cancellationToken)
    {
        X509Certificate2? served = null;
        string caPem;
        using (var bootstrap = new HttpClient(new HttpClientHandler
        {
            // The CA document is public; what matters is checked below, before anything secret leaves.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                served ??= certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        }) { Timeout = TimeSpan.FromSeconds(30) })
        {
            caPem = await bootstrap.GetStringAsync(new Uri(Controller, "/edge/client/v1/.well-known/est/cacerts"), cancellationToken).ConfigureAwait(false);
        }

        X509Certificate2 ca;
        try
        {
            ca = X509Certificate2.CreateFromPem(caPem);
        }
        catch (CryptographicException e)
        {
            throw new ZtIdentityException($"the server at {Controller} did not answer with a CA certificate; it is not a Hanzo ZT controller", e);
        }

        string fingerprint = FingerprintOf(ca);
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(fingerprint), System.Text.Encoding.ASCII.GetBytes(Pin)))
        {
            throw new ZtIdentityException(
                $"the controller at {Controller} is not the one the enrollment token pins: its CA has SHA-256 {fingerprint}, the token pins {Pin}. The connection may be intercepted; nothing was sent");
        }

        if (served is null || !ZtCertificates.ChainsTo(served, ca))
        {
            throw new ZtIdentityException(
                $"the TLS certificate presented at {Controller} does not chain to the CA the enrollment token pins. The connection is intercepted; nothing was sent");
        }

        var http = new HttpClient(ZtTls.ControllerHandler(ca)) { BaseAddress = Controller, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var keys = JsonWebKeySet.Parse(await http.GetStringAsync("/edge/client/v1/.well-known/jwks", cancellationToken).ConfigureAwait(false));
            using var signer = keys.Find(_jws.KeyId)?.ToPublicKey();
            if (signer is null || !_jws.VerifySignature(signer))
            {
                throw new ZtIdentityException($"the enrollment token is not signed by the controller at {Controller}; nothing was sent");
            }

            return (caPem, ca, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }
}
