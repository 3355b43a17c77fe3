using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>
/// Whether a credential may authenticate an identity, asked at login and again on every use of the API session it
/// made: the identity is not revoked, its auth policy allows the method (and the signer), the certificate is not
/// revoked and, when obtained through an API session, that API session still stands; the signer still exists and
/// is enabled.
/// </summary>
internal static class CredentialRules
{
    /// <summary>Why <paramref name="identity"/> may not authenticate this way, or null when it may.</summary>
    public static async Task<string?> RefusalAsync(ControllerState state, IdentityRecord identity, string method,
        string? certificateSerial, ExternalJwtSignerRecord? signer, CancellationToken cancellationToken)
    {
        var store = state.Store;
        if (await ApiSessionResolver.IsRevokedAsync(store, RevocationTypes.Identity, identity.Id, cancellationToken))
            return $"identity '{identity.Name}' is revoked";

        var policy = await store.AuthPolicies.GetAsync(identity.AuthPolicyId ?? AuthPolicyRecord.DefaultId, cancellationToken);
        if (policy is not null)
        {
            var allowed = method switch
            {
                "cert" => policy.AllowCert,
                "password" => policy.AllowPassword,
                _ => policy.AllowExtJwt,
            };
            if (!allowed) return $"auth policy '{policy.Name}' does not allow {method} authentication for identity '{identity.Name}'";
        }

        if (certificateSerial is not null)
        {
            if (await ApiSessionResolver.IsRevokedAsync(store, RevocationTypes.Certificate, certificateSerial, cancellationToken))
                return $"the client certificate (serial {certificateSerial}) is revoked";
            var issued = identity.Certificates.FirstOrDefault(c => c.Serial == certificateSerial);
            if (issued?.ApiSessionId is { } minter &&
                (await store.ApiSessions.GetAsync(minter, cancellationToken) is not { } owner || owner.ExpiresAt <= state.Now))
                return $"the client certificate (serial {certificateSerial}) ended with the API session that obtained it";
        }

        if (method == "ext-jwt")
        {
            if (signer is null) return "the external JWT signer of this API session no longer exists";
            var current = await store.ExternalJwtSigners.GetAsync(signer.Id, cancellationToken);
            if (current is null || !current.Enabled) return $"external JWT signer '{signer.Name}' is removed or disabled";
            if (policy is not null && policy.AllowedSigners.Count > 0 && !policy.AllowedSigners.Contains(signer.Id))
                return $"auth policy '{policy.Name}' does not allow signer '{signer.Name}'";
            // A signer that names identities by name may reach only identities whose policy lists it: a newly added
            // signer must never be able to sign in as 'admin' or any identity that did not opt in.
            if (!current.UseExternalId && (policy is null || !policy.AllowedSigners.Contains(signer.Id)))
                return $"signer '{signer.Name}' maps identities by name, which only an auth policy that lists it allows; identity '{identity.Name}' has no such policy";
        }
        return null;
    }

    /// <summary>Whether the API session still stands on the credential that made it; ends it (and what it made) when not.</summary>
    public static async Task<string?> RecheckAsync(ControllerState state, ApiSessionRecord session, IdentityRecord identity, CancellationToken cancellationToken)
    {
        var signer = session.SignerId is null ? null : await state.Store.ExternalJwtSigners.GetAsync(session.SignerId, cancellationToken);
        if (session.AuthMethod == "ext-jwt" && signer is null)
            return "the external JWT signer of this API session was removed";
        return await RefusalAsync(state, identity, session.AuthMethod, session.CertificateSerial, signer, cancellationToken);
    }
}
