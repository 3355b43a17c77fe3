namespace Hanzo.Zt.Controller.Store;

/// <summary>An identity: a user, device, service host or the admin.</summary>
internal sealed record IdentityRecord : StoredEntity
{
    /// <summary><c>User</c>, <c>Device</c>, <c>Service</c> or <c>Default</c>.</summary>
    public string Type { get; init; } = "Default";

    /// <summary>Whether the identity may use the management API.</summary>
    public bool IsAdmin { get; init; }

    /// <summary>Attributes that policies select with <c>#attribute</c>.</summary>
    public IReadOnlyList<string> RoleAttributes { get; init; } = [];

    /// <summary>The id an external JWT names it by, when signers use external ids.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The auth policy that limits how it may authenticate (<c>default</c> when null).</summary>
    public string? AuthPolicyId { get; init; }

    /// <summary>The PBKDF2 hash of its password (<c>pbkdf2-sha256$iterations$salt$hash</c>), when it has one.</summary>
    public string? PasswordHash { get; init; }

    /// <summary>Certificates issued to it (fingerprints and serials).</summary>
    public IReadOnlyList<IssuedCertificate> Certificates { get; init; } = [];

    /// <summary>
    /// The billing account (<c>org/name</c>) its dials are checked against and its usage charged to: set by
    /// administrators, or taken from the IAM token's <c>owner</c>/<c>name</c> at ext-jwt login. Never chosen by the client.
    /// </summary>
    public string? BillingAccount { get; init; }

    /// <inheritdoc />
    public override string? LookupKey => ExternalId;

    /// <inheritdoc />
    public override string LookupField => "externalId";
}

/// <summary>A certificate the controller issued.</summary>
/// <param name="Serial">Serial number (hex).</param>
/// <param name="Fingerprint">SHA-256 of the DER (hex).</param>
/// <param name="NotAfter">Expiry.</param>
/// <param name="Source"><c>enroll</c>, <c>api-session</c> or <c>erott</c>.</param>
/// <param name="ApiSessionId">For <c>api-session</c> certificates, the API session that obtained it: the certificate ends with it.</param>
internal sealed record IssuedCertificate(string Serial, string Fingerprint, DateTimeOffset NotAfter, string Source, string? ApiSessionId = null);

/// <summary>A service that identities dial or bind.</summary>
internal sealed record ServiceRecord : StoredEntity
{
    /// <summary>Attributes that policies select with <c>#attribute</c>.</summary>
    public IReadOnlyList<string> RoleAttributes { get; init; } = [];

    /// <summary>Whether end-to-end encryption is required (default true).</summary>
    public bool EncryptionRequired { get; init; } = true;
}

/// <summary>A Dial or Bind policy between identities and services.</summary>
internal sealed record ServicePolicyRecord : StoredEntity
{
    /// <summary>Dial or Bind.</summary>
    public SessionType Type { get; init; } = SessionType.Dial;

    /// <summary><c>AnyOf</c> (any role matches) or <c>AllOf</c> (every role matches).</summary>
    public string Semantic { get; init; } = "AnyOf";

    /// <summary>Service roles: <c>#attribute</c>, <c>@id</c> or <c>#all</c>.</summary>
    public IReadOnlyList<string> ServiceRoles { get; init; } = [];

    /// <summary>Identity roles: <c>#attribute</c>, <c>@id</c> or <c>#all</c>.</summary>
    public IReadOnlyList<string> IdentityRoles { get; init; } = [];
}

/// <summary>An edge router that SDKs connect to.</summary>
internal sealed record EdgeRouterRecord : StoredEntity
{
    /// <summary>The host name it is reached at.</summary>
    public string Hostname { get; init; } = "";

    /// <summary>Its listener URLs by protocol, e.g. <c>tls</c> → <c>tls://host:3022</c>.</summary>
    public IReadOnlyDictionary<string, string> SupportedProtocols { get; init; } = new Dictionary<string, string>();

    /// <summary>Attributes that policies select with <c>#attribute</c>.</summary>
    public IReadOnlyList<string> RoleAttributes { get; init; } = [];

    /// <summary>Whether it has enrolled (holds a certificate).</summary>
    public bool IsVerified { get; init; }

    /// <summary>Certificates issued to it.</summary>
    public IReadOnlyList<IssuedCertificate> Certificates { get; init; } = [];
}

/// <summary>An external JWT issuer (e.g. Hanzo IAM) whose tokens authenticate identities.</summary>
internal sealed record ExternalJwtSignerRecord : StoredEntity
{
    /// <summary>The <c>iss</c> its tokens carry.</summary>
    public string Issuer { get; init; } = "";

    /// <summary>The <c>aud</c> its tokens must carry.</summary>
    public string Audience { get; init; } = "";

    /// <summary>Where its keys are published (JWKS), or null when <see cref="CertPem"/> is set.</summary>
    public string? JwksEndpoint { get; init; }

    /// <summary>Its signing certificate or public key in PEM, or null when <see cref="JwksEndpoint"/> is set.</summary>
    public string? CertPem { get; init; }

    /// <summary>The claim naming the identity (default <c>sub</c>).</summary>
    public string ClaimsProperty { get; init; } = "sub";

    /// <summary>
    /// Whether the claim is matched to identities' external ids (true, the default: only identities given that
    /// external id can be reached) or names (false: only for identities whose auth policy lists this signer).
    /// </summary>
    public bool UseExternalId { get; init; } = true;

    /// <summary>Whether tokens from it are accepted at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Whether a valid token naming no identity creates one (off by default): named by the token's
    /// <c>owner/name</c>, with the identity claim as its external id (so <see cref="UseExternalId"/> is required).
    /// </summary>
    public bool ProvisionIdentities { get; init; }

    /// <summary>The claim whose value (a string array, or a string of space- or comma-separated names) gives a provisioned identity its role attributes.</summary>
    public string? RoleAttributesClaim { get; init; }

    /// <inheritdoc />
    public override string? LookupKey => Issuer;

    /// <inheritdoc />
    public override string LookupField => "issuer";
}

/// <summary>Which primary authentication methods identities under it may use.</summary>
internal sealed record AuthPolicyRecord : StoredEntity
{
    /// <summary>The id of the policy identities get when they name none.</summary>
    public const string DefaultId = "default";

    /// <summary>Whether certificate authentication is allowed.</summary>
    public bool AllowCert { get; init; } = true;

    /// <summary>Whether password authentication is allowed.</summary>
    public bool AllowPassword { get; init; } = true;

    /// <summary>Whether external JWT authentication is allowed.</summary>
    public bool AllowExtJwt { get; init; } = true;

    /// <summary>When not empty, the only signers (ids) accepted for external JWTs.</summary>
    public IReadOnlyList<string> AllowedSigners { get; init; } = [];
}

/// <summary>A pending one-time-token enrollment of an identity (<c>ott</c>) or router (<c>erott</c>).</summary>
internal sealed record EnrollmentRecord : StoredEntity
{
    /// <summary><c>ott</c> or <c>erott</c>.</summary>
    public string Method { get; init; } = "ott";

    /// <summary>SHA-256 (hex) of the one-time token.</summary>
    public string TokenHash { get; init; } = "";

    /// <summary>
    /// Empty: the JWT (which carries the one-time secret) is derived again when an administrator reads it, never
    /// stored. Records written by earlier versions may still hold one.
    /// </summary>
    public string Jwt { get; init; } = "";

    /// <summary>The identity or router that enrolls with it.</summary>
    public string SubjectId { get; init; } = "";

    /// <summary>When it stops being usable.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <inheritdoc />
    public override string? LookupKey => TokenHash;

    /// <inheritdoc />
    public override string? OwnerKey => SubjectId;
}

/// <summary>A revocation: an identity, a certificate serial, or a session, no longer honoured.</summary>
internal sealed record RevocationRecord : StoredEntity
{
    /// <summary><c>IDENTITY</c>, <c>CERTIFICATE</c>, <c>SESSION</c> or <c>API_SESSION</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The revoked identity id, certificate serial (hex) or session id.</summary>
    public string Target { get; init; } = "";

    /// <summary>Why, for the audit trail.</summary>
    public string? Reason { get; init; }

    /// <summary>After this the revocation no longer matters (e.g. the certificate or token expired), or null.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Its position in the revocation feed (assigned by the store, increasing in commit order).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public long Sequence { get; init; }

    /// <summary>The lookup key of a revocation: its type and target.</summary>
    public static string KeyFor(string type, string target) => type + ":" + target;

    /// <inheritdoc />
    public override string? LookupKey => KeyFor(Type, Target);
}

/// <summary>An authenticated API session.</summary>
internal sealed record ApiSessionRecord : StoredEntity
{
    /// <summary>SHA-256 (hex) of its bearer token; the token itself is never stored.</summary>
    public string TokenHash { get; init; } = "";

    /// <summary>The identity it authenticates.</summary>
    public string IdentityId { get; init; } = "";

    /// <summary><c>cert</c>, <c>password</c> or <c>ext-jwt</c>.</summary>
    public string AuthMethod { get; init; } = "";

    /// <summary>When it expires unless used.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When it was last used.</summary>
    public DateTimeOffset LastActivityAt { get; init; }

    /// <summary>For <c>cert</c> sessions, the serial (hex) of the certificate it authenticated with: revoking it ends the session.</summary>
    public string? CertificateSerial { get; init; }

    /// <summary>For <c>cert</c> sessions, when that certificate expires: certificates this session obtains never outlive it.</summary>
    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>For <c>ext-jwt</c> sessions, the signer whose token created it: disabling or removing the signer ends the session.</summary>
    public string? SignerId { get; init; }

    /// <inheritdoc />
    public override string? LookupKey => TokenHash;

    /// <inheritdoc />
    public override string? OwnerKey => IdentityId;
}

/// <summary>A session: one identity's right to dial or bind one service.</summary>
internal sealed record SessionRecord : StoredEntity
{
    /// <summary>The API session that created it.</summary>
    public string ApiSessionId { get; init; } = "";

    /// <summary>The identity.</summary>
    public string IdentityId { get; init; } = "";

    /// <summary>The service.</summary>
    public string ServiceId { get; init; } = "";

    /// <summary>Dial or Bind.</summary>
    public SessionType Type { get; init; } = SessionType.Dial;

    /// <summary>When its token expires.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The identity's billing account when the session was created (carried in its token), or null.</summary>
    public string? BillingAccount { get; init; }

    /// <inheritdoc />
    public override string? OwnerKey => ApiSessionId;
}
