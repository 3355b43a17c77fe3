using System.Text.Json.Nodes;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Tokens;

/// <summary>Signs the controller's own tokens (ES256, with its persisted signing key): enrollment JWTs and session tokens.</summary>
internal sealed class TokenIssuer(ControllerState state)
{
    /// <summary>
    /// A one-time enrollment JWT: <c>em</c> (<c>ott</c> or <c>erott</c>), <c>jti</c> (the one-time token),
    /// <c>iss</c> (the controller URL), <c>sub</c> (identity or router id), <c>iat</c>, <c>exp</c>.
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
        }, state.SigningKey, state.SigningKeyId);

    /// <summary>A session token, verifiable offline with <see cref="SessionTokenVerifier"/>.</summary>
    public string SessionToken(SessionRecord session, ServiceRecord service) =>
        CompactJws.Create(
            new SessionTokenClaims(session.Id, session.IdentityId, service.Id, service.Name, session.Type, session.ApiSessionId, state.Issuer, session.ExpiresAt,
                    session.BillingAccount)
                .ToPayload(state.Now),
            state.SigningKey, state.SigningKeyId, SessionTokenClaims.TokenType);
}
