using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Api;

/// <summary>The JSON shapes of entities. Secrets (password hashes, token hashes) never appear.</summary>
internal static class Views
{
    public static Dictionary<string, object?> Common(StoredEntity e) => new()
    {
        ["id"] = e.Id,
        ["name"] = e.Name,
        ["createdAt"] = e.CreatedAt,
        ["updatedAt"] = e.UpdatedAt,
        ["tags"] = e.Tags,
        ["_version"] = e.Version,
    };

    public static object Identity(IdentityRecord i, EnrollmentRecord? enrollment = null)
    {
        var v = Common(i);
        v["type"] = new { id = i.Type, name = i.Type };
        v["typeId"] = i.Type;
        v["isAdmin"] = i.IsAdmin;
        v["roleAttributes"] = i.RoleAttributes;
        v["externalId"] = i.ExternalId;
        v["authPolicyId"] = i.AuthPolicyId ?? AuthPolicyRecord.DefaultId;
        v["hasPassword"] = i.PasswordHash is not null;
        v["billingAccount"] = i.BillingAccount;
        v["authenticators"] = new { cert = i.Certificates.Select(c => new { c.Serial, c.Fingerprint, c.NotAfter, c.Source }) };
        v["enrollment"] = enrollment is null
            ? new { }
            : new { ott = new { id = enrollment.Id, jwt = enrollment.Jwt, expiresAt = enrollment.ExpiresAt } };
        return v;
    }

    public static object IdentityRef(IdentityRecord i) => new { id = i.Id, name = i.Name };

    public static object Service(ServiceRecord s, IReadOnlyList<string>? permissions = null)
    {
        var v = Common(s);
        v["roleAttributes"] = s.RoleAttributes;
        v["encryptionRequired"] = s.EncryptionRequired;
        if (permissions is not null) v["permissions"] = permissions;
        return v;
    }

    public static object ServicePolicy(ServicePolicyRecord p)
    {
        var v = Common(p);
        v["type"] = p.Type;
        v["semantic"] = p.Semantic;
        v["serviceRoles"] = p.ServiceRoles;
        v["identityRoles"] = p.IdentityRoles;
        return v;
    }

    public static object EdgeRouter(EdgeRouterRecord r, EnrollmentRecord? enrollment = null)
    {
        var v = Common(r);
        v["hostname"] = r.Hostname;
        v["supportedProtocols"] = r.SupportedProtocols;
        v["roleAttributes"] = r.RoleAttributes;
        v["isVerified"] = r.IsVerified;
        v["enrollmentJwt"] = enrollment?.Jwt;
        v["enrollmentExpiresAt"] = enrollment?.ExpiresAt;
        return v;
    }

    public static object SessionRouter(EdgeRouterRecord r) =>
        new { id = r.Id, name = r.Name, hostname = r.Hostname, urls = r.SupportedProtocols };

    public static object Signer(ExternalJwtSignerRecord s)
    {
        var v = Common(s);
        v["issuer"] = s.Issuer;
        v["audience"] = s.Audience;
        v["jwksEndpoint"] = s.JwksEndpoint;
        v["certPem"] = s.CertPem;
        v["claimsProperty"] = s.ClaimsProperty;
        v["useExternalId"] = s.UseExternalId;
        v["enabled"] = s.Enabled;
        v["provisionIdentities"] = s.ProvisionIdentities;
        v["roleAttributesClaim"] = s.RoleAttributesClaim;
        return v;
    }

    public static object AuthPolicy(AuthPolicyRecord p)
    {
        var v = Common(p);
        v["primary"] = new
        {
            cert = new { allowed = p.AllowCert },
            updb = new { allowed = p.AllowPassword },
            extJwt = new { allowed = p.AllowExtJwt, allowedSigners = p.AllowedSigners },
        };
        return v;
    }

    public static object Revocation(RevocationRecord r)
    {
        var v = Common(r);
        v["type"] = r.Type;
        v["target"] = r.Target;
        v["reason"] = r.Reason;
        v["expiresAt"] = r.ExpiresAt;
        return v;
    }

    public static object ApiSession(ApiSessionRecord s, IdentityRecord identity, string? token = null)
    {
        var v = Common(s);
        v.Remove("name");
        v["token"] = token;
        v["identity"] = IdentityRef(identity);
        v["identityId"] = identity.Id;
        v["isAdmin"] = identity.IsAdmin;
        v["authMethod"] = s.AuthMethod;
        v["expiresAt"] = s.ExpiresAt;
        v["lastActivityAt"] = s.LastActivityAt;
        return v;
    }

    public static object Session(SessionRecord s, ServiceRecord? service, string? token, IEnumerable<EdgeRouterRecord> routers)
    {
        var v = Common(s);
        v.Remove("name");
        v["type"] = s.Type;
        v["token"] = token;
        v["apiSessionId"] = s.ApiSessionId;
        v["identityId"] = s.IdentityId;
        v["serviceId"] = s.ServiceId;
        v["billingAccount"] = s.BillingAccount;
        v["service"] = service is null ? null : new { id = service.Id, name = service.Name };
        v["expiresAt"] = s.ExpiresAt;
        v["edgeRouters"] = routers.Select(SessionRouter).ToList();
        return v;
    }
}
