using System.Security.Cryptography;

namespace Hanzo.Zt.Tokens;

/// <summary>
/// Verifies session tokens offline, with only the controller's public signing keys (its JWKS at
/// <c>GET /edge/client/v1/.well-known/jwks</c>): signature, token type, expiry (with a small skew) and
/// the presence of every claim. Routers use it to admit dials and binds without asking the controller;
/// they combine it with the revocation list (<c>GET /edge/client/v1/revocations</c>) for early revocation.
/// </summary>
public sealed class SessionTokenVerifier
{
    private readonly JsonWebKeySet _keys;
    private readonly string? _issuer;
    private readonly TimeSpan _skew;

    /// <summary>Creates a verifier for tokens signed by any key of <paramref name="keys"/>.</summary>
    /// <param name="keys">The controller's JWKS.</param>
    /// <param name="expectedIssuer">When set, the <c>iss</c> claim must equal it.</param>
    /// <param name="clockSkew">Tolerance for expiry; 30 s when not given.</param>
    public SessionTokenVerifier(JsonWebKeySet keys, string? expectedIssuer = null, TimeSpan? clockSkew = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _issuer = expectedIssuer;
        _skew = clockSkew ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Creates a verifier for one public key (ECDSA or RSA).</summary>
    public SessionTokenVerifier(AsymmetricAlgorithm publicKey, string? keyId = null, string? expectedIssuer = null, TimeSpan? clockSkew = null)
        : this(new JsonWebKeySet { Keys = [JsonWebKey.FromPublicKey(publicKey, keyId)] }, expectedIssuer, clockSkew)
    {
    }

    /// <summary>Verifies <paramref name="token"/> at <paramref name="now"/> (the current time when null).</summary>
    /// <exception cref="JwtException">The token is malformed, not a session token, badly signed, expired or incomplete.</exception>
    public SessionTokenClaims Verify(string token, DateTimeOffset? now = null)
    {
        var jws = CompactJws.Parse(token);
        if (jws.Header.TryGetProperty("typ", out var typ) && typ.GetString() != SessionTokenClaims.TokenType)
            throw new JwtException("the token is not a session token");
        var jwk = _keys.Find(jws.KeyId) ?? throw new JwtException($"no known key has id '{jws.KeyId}'");
        using (var key = jwk.ToPublicKey())
        {
            if (!jws.VerifySignature(key)) throw new JwtException("the session token's signature does not verify");
        }
        jws.ValidateLifetime(now ?? DateTimeOffset.UtcNow, _skew);
        var issuer = Require(jws, SessionTokenClaims.Names.Issuer);
        if (_issuer is not null && issuer != _issuer) throw new JwtException($"the session token was issued by '{issuer}', not '{_issuer}'");
        var typeName = Require(jws, SessionTokenClaims.Names.Type);
        if (!SessionTypes.TryParse(typeName, out var type)) throw new JwtException($"session type '{typeName}' is neither Dial nor Bind");
        return new SessionTokenClaims(
            Require(jws, SessionTokenClaims.Names.SessionId), Require(jws, SessionTokenClaims.Names.IdentityId),
            Require(jws, SessionTokenClaims.Names.ServiceId), Require(jws, SessionTokenClaims.Names.ServiceName), type,
            Require(jws, SessionTokenClaims.Names.ApiSessionId), issuer, jws.GetTime(SessionTokenClaims.Names.ExpiresAt)!.Value,
            jws.GetClaim(SessionTokenClaims.Names.BillingAccount) is { Length: > 0 } account ? account : null);
    }

    /// <summary>Like <see cref="Verify"/>, but returns false instead of throwing.</summary>
    public bool TryVerify(string token, out SessionTokenClaims? claims, DateTimeOffset? now = null)
    {
        try
        {
            claims = Verify(token, now);
            return true;
        }
        catch (JwtException)
        {
            claims = null;
            return false;
        }
    }

    private static string Require(CompactJws jws, string claim) =>
        jws.GetClaim(claim) is { Length: > 0 } value ? value : throw new JwtException($"the session token has no '{claim}' claim");
}
