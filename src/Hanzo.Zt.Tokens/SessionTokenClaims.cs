using System.Text.Json.Nodes;

namespace Hanzo.Zt.Tokens;

/// <summary>
/// What a session token grants: one identity, one service, Dial or Bind, until it expires. The one
/// definition of the token's claims: the controller writes them with <see cref="ToPayload"/> and
/// <see cref="SessionTokenVerifier"/> reads them back.
/// </summary>
/// <param name="SessionId">The session's id (<c>jti</c>).</param>
/// <param name="IdentityId">The identity the session belongs to (<c>sub</c>).</param>
/// <param name="ServiceId">The service (<c>svc</c>).</param>
/// <param name="ServiceName">The service's name when the session was created (<c>svcName</c>).</param>
/// <param name="Type">Dial or Bind (<c>type</c>).</param>
/// <param name="ApiSessionId">The API session that created it (<c>apiSession</c>).</param>
/// <param name="Issuer">The controller that issued it (<c>iss</c>).</param>
/// <param name="ExpiresAt">When it stops being valid (<c>exp</c>).</param>
/// <param name="BillingAccount">
/// The billing account (<c>org/name</c>) the controller holds for the identity (<c>billingAccount</c>); routers
/// charge the session's usage to it. Null when the controller runs without billing.
/// </param>
public sealed record SessionTokenClaims(
    string SessionId,
    string IdentityId,
    string ServiceId,
    string ServiceName,
    SessionType Type,
    string ApiSessionId,
    string Issuer,
    DateTimeOffset ExpiresAt,
    string? BillingAccount = null)
{
    /// <summary>The JWT <c>typ</c> header of session tokens.</summary>
    public const string TokenType = "zt-session+jwt";

    /// <summary>The claim names of a session token.</summary>
    public static class Names
    {
        /// <summary>The session id.</summary>
        public const string SessionId = "jti";

        /// <summary>The identity id.</summary>
        public const string IdentityId = "sub";

        /// <summary>The service id.</summary>
        public const string ServiceId = "svc";

        /// <summary>The service name.</summary>
        public const string ServiceName = "svcName";

        /// <summary>Dial or Bind.</summary>
        public const string Type = "type";

        /// <summary>The API session id.</summary>
        public const string ApiSessionId = "apiSession";

        /// <summary>The issuing controller.</summary>
        public const string Issuer = "iss";

        /// <summary>Issued at (seconds since the epoch).</summary>
        public const string IssuedAt = "iat";

        /// <summary>Expiry (seconds since the epoch).</summary>
        public const string ExpiresAt = "exp";

        /// <summary>The billing account usage is charged to (optional).</summary>
        public const string BillingAccount = "billingAccount";
    }

    /// <summary>Whether this session may dial (connect to) the service.</summary>
    public bool IsDial => Type == SessionType.Dial;

    /// <summary>Whether this session may bind (host) the service.</summary>
    public bool IsBind => Type == SessionType.Bind;

    /// <summary>The JWT payload carrying these claims, issued at <paramref name="issuedAt"/>.</summary>
    public JsonObject ToPayload(DateTimeOffset issuedAt)
    {
        var payload = new JsonObject
        {
            [Names.SessionId] = SessionId,
            [Names.IdentityId] = IdentityId,
            [Names.ServiceId] = ServiceId,
            [Names.ServiceName] = ServiceName,
            [Names.Type] = Type.ToWireName(),
            [Names.ApiSessionId] = ApiSessionId,
            [Names.Issuer] = Issuer,
            [Names.IssuedAt] = issuedAt.ToUnixTimeSeconds(),
            [Names.ExpiresAt] = ExpiresAt.ToUnixTimeSeconds(),
        };
        if (BillingAccount is not null) payload[Names.BillingAccount] = BillingAccount;
        return payload;
    }
}
