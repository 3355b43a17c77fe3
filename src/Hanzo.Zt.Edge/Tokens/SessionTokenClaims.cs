namespace Hanzo.Zt.Edge.Tokens;

/// <summary>What a verified session token grants: one identity, one service, Dial or Bind, until it expires.</summary>
/// <param name="SessionId">The session's id (<c>jti</c>).</param>
/// <param name="IdentityId">The identity the session belongs to (<c>sub</c>).</param>
/// <param name="ServiceId">The service (<c>svc</c>).</param>
/// <param name="ServiceName">The service's name when the session was created (<c>svcName</c>).</param>
/// <param name="Type"><c>Dial</c> or <c>Bind</c>.</param>
/// <param name="ApiSessionId">The API session that created it (<c>apiSession</c>).</param>
/// <param name="Issuer">The controller that issued it (<c>iss</c>).</param>
/// <param name="ExpiresAt">When it stops being valid (<c>exp</c>).</param>
public sealed record SessionTokenClaims(
    string SessionId,
    string IdentityId,
    string ServiceId,
    string ServiceName,
    string Type,
    string ApiSessionId,
    string Issuer,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The JWT <c>typ</c> header of session tokens.</summary>
    public const string TokenType = "zt-session+jwt";

    /// <summary>Whether this session may dial (connect to) the service.</summary>
    public bool IsDial => Type == "Dial";

    /// <summary>Whether this session may bind (host) the service.</summary>
    public bool IsBind => Type == "Bind";
}
