using System.Text.Json;

namespace Hanzo.Zt.Controller.Api;

// Request bodies of the management API. A null field means "not given": creation applies the default,
// updates keep the current value.

internal sealed record IdentityBody(
    string? Name, string? Type, bool? IsAdmin, List<string>? RoleAttributes, string? ExternalId, string? AuthPolicyId,
    string? Password, EnrollmentRequest? Enrollment, Dictionary<string, JsonElement>? Tags, string? BillingAccount = null);

internal sealed record EnrollmentRequest(bool? Ott);

internal sealed record ServiceBody(string? Name, List<string>? RoleAttributes, bool? EncryptionRequired, Dictionary<string, JsonElement>? Tags);

internal sealed record ServicePolicyBody(
    string? Name, string? Type, string? Semantic, List<string>? ServiceRoles, List<string>? IdentityRoles, Dictionary<string, JsonElement>? Tags);

internal sealed record EdgeRouterBody(
    string? Name, string? Hostname, Dictionary<string, string>? SupportedProtocols, List<string>? RoleAttributes,
    bool? ReEnroll, Dictionary<string, JsonElement>? Tags);

internal sealed record SignerBody(
    string? Name, string? Issuer, string? Audience, string? JwksEndpoint, string? CertPem, string? ClaimsProperty,
    bool? UseExternalId, bool? Enabled, Dictionary<string, JsonElement>? Tags, bool? ProvisionIdentities = null, string? RoleAttributesClaim = null);

internal sealed record AuthPolicyBody(string? Name, AuthPolicyPrimary? Primary, Dictionary<string, JsonElement>? Tags);

internal sealed record AuthPolicyPrimary(AllowedFlag? Cert, AllowedFlag? Updb, ExtJwtFlag? ExtJwt);

internal sealed record AllowedFlag(bool? Allowed);

internal sealed record ExtJwtFlag(bool? Allowed, List<string>? AllowedSigners);

internal sealed record RevocationBody(string? Type, string? Target, string? Reason, DateTimeOffset? ExpiresAt);
