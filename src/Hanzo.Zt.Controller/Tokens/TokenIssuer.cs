using System.Text.Json.Nodes;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Tokens;

/// <summary>Signs the controller's own tokens (ES256, with its persisted signing key): enrollment JWTs and session tokens.</summary>
internal sealed class TokenIssuer(ControllerState state)
{
    /// <summary>
    /// A one-time enrollment JWT: <c>em</c> (<c>ott</c> or <c>erott</c>), <c>jti</c> (the one-time token),
    /// <c>iss</c> (the controller URL), <c>sub</c> (identity or router id), <c>iat</c>, <c>exp</c>, and
    /// <see cref="EnrollmentToken.PinClaim"/> (the SHA-256 of the CA), which enrolling clients pin.
    /// </summary>
    public string EnrollmentJwt(string method, string token, string subjectId, DateTimeOffset expiresAt) =>
        CompactJws.Create(new JsonObject
        {
            ["em"] = method,
            ["jti"] = token,
            ["iss"] = state.Issuer,
            ["sub"] = subjectId,
            ["iat"] = state.Now.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            [EnrollmentToken.PinClaim] = EnrollmentToken.FingerprintOf(state.Ca.Certificate),
        }, state.SigningKey, state.SigningKeyId);

    /// <summary>
    /// The one-time secret of enrollment <paramref name="enrollmentId"/>: derived (HMAC-SHA256) from a key sealed
    /// with the controller key, so the store keeps only its hash and a copy of the database cannot enroll.
    /// </summary>
    public string EnrollmentSecret(string enrollmentId) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(state.EnrollmentKey, System.Text.Encoding.UTF8.GetBytes("enrollment:" + enrollmentId)));

    /// <summary>A session token, verifiable offline with <see cref="SessionTokenVerifier"/>.</summary>
    public string SessionToken(SessionRecord session, ServiceRecord service) =>
        CompactJws.Create(
            new SessionTokenClaims(session.Id, session.IdentityId, service.Id, service.Name, session.Type, session.ApiSessionId, state.Issuer, session.ExpiresAt,
                    session.BillingAccount)
                .ToPayload(state.Now),
            state.SigningKey, state.SigningKeyId, SessionTokenClaims.TokenType);
}
