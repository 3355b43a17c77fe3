using System.Net;
using System.Text.Json;

namespace Hanzo.Zt.Billing.Commerce;

/// <summary>Reads Commerce answers: the optional <c>{data: …}</c> envelope, typed bodies, and RFC 9457 problem documents.</summary>
internal static class CommerceWire
{
    /// <summary>The body's value, unwrapped from <c>{data: …}</c> when so enveloped.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static JsonElement Unwrap(JsonDocument document)
    {
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) ? data : root;
    }

    /// <summary>An integer member, or a description of why it is not one.</summary>
    public static long RequireInt64(JsonElement value, string path)
    {
        var member = Member(value, path);
        return member.ValueKind == JsonValueKind.Number && member.TryGetInt64(out var number)
            ? number
            : throw new FormatException($"'{path}' is not an integer (found {Describe(member)})");
    }

    /// <summary>An optional integer member; <paramref name="fallback"/> when absent or null.</summary>
    public static long OptionalInt64(JsonElement value, string name, long fallback) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var member) && member.ValueKind != JsonValueKind.Null
            ? RequireInt64(value, name)
            : fallback;

    /// <summary>A string member.</summary>
    public static string RequireString(JsonElement value, string path)
    {
        var member = Member(value, path);
        return member.ValueKind == JsonValueKind.String && member.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"'{path}' is not a non-empty string (found {Describe(member)})");
    }

    /// <summary>An optional string member.</summary>
    public static string? OptionalString(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String
            ? member.GetString()
            : null;

    /// <summary>The title and detail of a problem document (or a <c>msg</c>/<c>error</c> body), when the body is one.</summary>
    public static (string? Title, string? Detail) ReadProblem(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return (null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = Unwrap(document);
            if (root.ValueKind != JsonValueKind.Object) return (null, Trim(body));
            var detail = OptionalString(root, "detail") ?? OptionalString(root, "msg") ?? OptionalString(root, "message");
            if (detail is null && root.TryGetProperty("error", out var error))
                detail = error.ValueKind == JsonValueKind.String ? error.GetString() : OptionalString(error, "message");
            return (OptionalString(root, "title"), detail);
        }
        catch (JsonException)
        {
            return (null, Trim(body));
        }
    }

    /// <summary>"402 Payment Required".</summary>
    public static string Status(HttpStatusCode status) => $"{(int)status} {ReasonPhrase(status)}";

    private static string ReasonPhrase(HttpStatusCode status) =>
        System.Text.RegularExpressions.Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", " ");

    private static JsonElement Member(JsonElement value, string path)
    {
        foreach (var name in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                throw new FormatException($"'{path}' is missing");
        }
        return value;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Trim(value.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Trim(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
