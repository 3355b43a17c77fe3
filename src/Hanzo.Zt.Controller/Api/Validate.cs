namespace Hanzo.Zt.Controller.Api;

/// <summary>Field checks that answer 400 COULD_NOT_VALIDATE naming the field.</summary>
internal static class Validate
{
    public const int MaxNameLength = 255;

    public static string Name(string? value, string? current, string field = "name")
    {
        var name = value ?? current;
        if (string.IsNullOrWhiteSpace(name)) throw ApiException.Invalid($"{field} is required", field);
        if (name.Length > MaxNameLength) throw ApiException.Invalid($"{field} is longer than {MaxNameLength} characters", field);
        if (name.Any(char.IsControl)) throw ApiException.Invalid($"{field} contains control characters", field);
        return name;
    }

    /// <summary>A billing account, <c>org/name</c>; the empty string clears it (null).</summary>
    public static string? BillingAccount(string value)
    {
        if (value.Length == 0) return null;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (value.Length > MaxNameLength || slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0
            || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw ApiException.Invalid($"billingAccount '{value}' is not of the form org/name (one '/', no spaces)", "billingAccount");
        return value;
    }

    public static string OneOf(string? value, string current, string field, params string[] allowed)
    {
        var v = value ?? current;
        return allowed.Contains(v, StringComparer.Ordinal)
            ? v
            : throw ApiException.Invalid($"{field} '{v}' is not one of {string.Join(", ", allowed)}", field);
    }

    public static SessionType SessionType(string? value, SessionType? current)
    {
        if (value is null && current is { } kept) return kept;
        return SessionTypes.TryParse(value, out var type)
            ? type
            : throw ApiException.Invalid($"type '{value}' is not one of Dial, Bind", "type");
    }

    public static IReadOnlyList<string> Attributes(List<string>? value, IReadOnlyList<string> current, string field = "roleAttributes")
    {
        if (value is null) return current;
        foreach (var a in value)
        {
            if (string.IsNullOrWhiteSpace(a) || a.Length > MaxNameLength || a.StartsWith('#') || a.StartsWith('@') || a.Any(char.IsControl))
                throw ApiException.Invalid($"{field} entry '{a}' is not a valid attribute (non-empty, no leading # or @)", field);
        }
        return value.Distinct(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<string> Roles(List<string>? value, IReadOnlyList<string> current, string field)
    {
        if (value is null) return current;
        foreach (var r in value)
        {
            if (r is null || r.Length < 2 || r.Length > MaxNameLength || r[0] is not ('#' or '@'))
                throw ApiException.Invalid($"{field} entry '{r}' must be #attribute, @id or #all", field);
        }
        return value.Distinct(StringComparer.Ordinal).ToList();
    }

    public static string? AbsoluteHttpUrl(string? value, string field)
    {
        if (value is null) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw ApiException.Invalid($"{field} '{value}' is not an absolute http(s) URL", field);
        return value;
    }
}
