using System.Text.Json;

namespace Hanzo.Zt.Controller.Billing;

/// <summary>The billing account a Hanzo IAM token is for: its <c>owner</c> (the org) and <c>name</c>, as <c>owner/name</c>.</summary>
internal static class IamAccount
{
    /// <summary>The account named by <paramref name="claims"/>, or null when either claim is missing or not a plain name.</summary>
    public static string? From(JsonElement claims)
    {
        var owner = Text(claims, "owner");
        var name = Text(claims, "name");
        return owner is null || name is null ? null : owner + "/" + name;
    }

    private static string? Text(JsonElement claims, string claim) =>
        claims.ValueKind == JsonValueKind.Object && claims.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text && !text.Contains('/') && !text.Any(char.IsWhiteSpace)
            ? text
            : null;
}
