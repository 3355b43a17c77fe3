using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Tokens;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>
/// Validates JWTs from external issuers (e.g. Hanzo IAM) against the configured signers: algorithm (RS256,
/// PS256, ES256 and their larger variants; never HS* or <c>none</c>), issuer, signature (the signer's PEM or its
/// JWKS, fetched once and refreshed when a token names an unknown <c>kid</c>; the endpoint may also be an OIDC
/// discovery document, whose <c>jwks_uri</c> is followed), audience and lifetime.
/// </summary>
internal sealed class ExternalJwtValidator(ControllerState state) : IDisposable
{
    private readonly HttpClient _http = new(state.Options.JwksHttpHandlerFactory?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true)
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly ConcurrentDictionary<string, (JsonWebKeySet Keys, DateTimeOffset FetchedAt)> _cache = new();

    /// <summary>The signer that issued <paramref name="token"/>, the value of its identity claim, and its claims.</summary>
    /// <exception cref="JwtException">The token is refused; the message says why.</exception>
    public async Task<(ExternalJwtSignerRecord Signer, string Subject, JsonElement Claims)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var jws = CompactJws.Parse(token);
        JwsAlgorithms.EnsureAccepted(jws.Algorithm);
        var issuer = jws.GetClaim("iss") ?? throw new JwtException("the token has no issuer (iss)");
        var signer = await state.Store.ExternalJwtSigners.FindByLookupAsync(issuer, cancellationToken);
        if (signer is null || !signer.Enabled) throw new JwtException($"no enabled external JWT signer has issuer '{issuer}'");

        using (var key = await FindKeyAsync(signer, jws.KeyId, cancellationToken))
        {
            if (!jws.VerifySignature(key)) throw new JwtException($"the token's signature does not verify with the keys of signer '{signer.Name}'");
        }
        jws.ValidateLifetime(state.Now, state.Options.ClockSkew);
        if (!HasAudience(jws.Payload, signer.Audience))
            throw new JwtException($"the token's audience is not '{signer.Audience}'");
        var subject = jws.Payload.TryGetProperty(signer.ClaimsProperty, out var claim) && claim.ValueKind == JsonValueKind.String
            ? claim.GetString()
            : null;
        if (string.IsNullOrEmpty(subject)) throw new JwtException($"the token has no '{signer.ClaimsProperty}' claim naming the identity");
        return (signer, subject, jws.Payload.Clone());
    }

    public void Dispose() => _http.Dispose();

    private async Task<AsymmetricAlgorithm> FindKeyAsync(ExternalJwtSignerRecord signer, string? kid, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(signer.CertPem)) return PublicKeyFromPem(signer.CertPem);
        var url = signer.JwksEndpoint ?? throw new JwtException($"signer '{signer.Name}' has neither a JWKS endpoint nor a certificate");

        var cached = _cache.TryGetValue(url, out var entry) ? entry : default;
        // Refreshed on a schedule (removed keys stop working within the interval) and on an unknown kid (rate-limited).
        var stale = cached.Keys is null || state.Now - cached.FetchedAt >= state.Options.JwksRefreshInterval;
        var jwk = stale ? null : cached.Keys!.Find(kid);
        if (stale || (jwk is null && state.Now - cached.FetchedAt >= state.Options.JwksMinimumRefreshInterval))
        {
            var keys = await FetchAsync(url, cancellationToken);
            _cache[url] = (keys, state.Now);
            jwk = keys.Find(kid);
        }
        return (jwk ?? throw new JwtException($"signer '{signer.Name}' publishes no key with id '{kid}'")).ToPublicKey();
    }

    /// <summary>Fetches a JWKS, or an OIDC discovery document and then the JWKS its <c>jwks_uri</c> names.</summary>
    private async Task<JsonWebKeySet> FetchAsync(string url, CancellationToken cancellationToken)
    {
        RequireHttps(url);
        try
        {
            var text = await _http.GetStringAsync(url, cancellationToken);
            using (var document = JsonDocument.Parse(text))
            {
                if (!document.RootElement.TryGetProperty("keys", out _) &&
                    document.RootElement.TryGetProperty("jwks_uri", out var jwksUri) && jwksUri.ValueKind == JsonValueKind.String &&
                    Uri.TryCreate(jwksUri.GetString(), UriKind.Absolute, out var next) && next.Scheme is "https" or "http")
                {
                    RequireHttps(next.ToString());
                    text = await _http.GetStringAsync(next, cancellationToken);
                }
            }
            return JsonWebKeySet.Parse(text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new JwtException($"the signer's keys could not be fetched from {url}: {e.Message}", e);
        }
    }

    /// <summary>Keys fetched over plain HTTP could be anyone's: refused outside development mode.</summary>
    private void RequireHttps(string url)
    {
        if (!state.Options.DevelopmentMode && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new JwtException($"the JWKS endpoint '{url}' is not https; plain http is allowed in development mode only");
    }

    internal static AsymmetricAlgorithm PublicKeyFromPem(string pem)
    {
        try
        {
            if (pem.Contains("CERTIFICATE", StringComparison.Ordinal))
            {
                using var certificate = X509Certificate2.CreateFromPem(pem);
                return (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey()
                    ?? throw new JwtException("the signer certificate's key is neither EC nor RSA");
            }
            var ec = ECDsa.Create();
            try
            {
                ec.ImportFromPem(pem);
                return ec;
            }
            catch (CryptographicException)
            {
                ec.Dispose();
            }
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new JwtException("the signer's PEM is neither a certificate nor an EC or RSA public key", e);
        }
    }

    private static bool HasAudience(JsonElement payload, string audience)
    {
        if (!payload.TryGetProperty("aud", out var aud)) return false;
        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == audience),
            _ => false,
        };
    }
}
