using System.Text.Json;
using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>
/// Creates the identity of a first sign-in with a token of a signer that provisions identities: named by the
/// token's <c>owner/name</c> (Hanzo IAM's user naming; the subject when either is missing), with the subject as its
/// external id and role attributes from the signer's configured claim. So IAM users need no admin step.
/// </summary>
internal static class IdentityProvisioner
{
    public static async Task<IdentityRecord> ProvisionAsync(ControllerState state, ExternalJwtSignerRecord signer, string subject, JsonElement claims, CancellationToken cancellationToken)
    {
        var name = Claim(claims, "owner") is { } owner && Claim(claims, "name") is { } user ? $"{owner}/{user}" : subject;
        var record = new IdentityRecord
        {
            Id = SecretTokens.NewId(),
            Name = Validate.Name(name, null),
            Type = "User",
            ExternalId = subject,
            RoleAttributes = Validate.Attributes(RoleAttributes(claims, signer.RoleAttributesClaim), []),
            Tags = new Dictionary<string, JsonElement> { ["provisionedBy"] = JsonSerializer.SerializeToElement(signer.Name) },
        };
        try
        {
            return await state.Store.Identities.CreateAsync(record, cancellationToken);
        }
        catch (StoreDuplicateException)
        {
            // A concurrent first sign-in of the same user won; anything else holding the name is not this user.
            return await state.Store.Identities.FindByLookupAsync(subject, cancellationToken)
                ?? throw ApiException.InvalidAuth($"cannot provision identity '{name}' for '{subject}': another identity has that name");
        }
    }

    private static string? Claim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static List<string>? RoleAttributes(JsonElement claims, string? claim)
    {
        if (claim is null || !claims.TryGetProperty(claim, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Array => [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)],
            JsonValueKind.String => [.. value.GetString()!.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)],
            _ => null,
        };
    }
}
