using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hanzo.Zt.Controller.Store;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Controller.Api;

/// <summary>Reads request bodies and list parameters, turning anything malformed into a 400 envelope.</summary>
internal static partial class RequestReader
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 500;

    public static async Task<T> ReadJsonAsync<T>(HttpContext context) where T : class
    {
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Envelope.Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new ApiException(400, "COULD_NOT_PARSE_BODY", $"the request body is not valid JSON for this operation: {e.Message}");
        }
        return value ?? throw new ApiException(400, "COULD_NOT_PARSE_BODY", "the request body is empty; a JSON object is required");
    }

    public static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    /// <summary>
    /// <c>limit</c> (1–500, default 10), <c>offset</c> (default 0) and <c>filter</c>: <c>name="x"</c> (exact),
    /// <c>name contains "x"</c>, or plain text without quotes or operators (name contains it, case-insensitive).
    /// </summary>
    public static EntityQuery ReadQuery(HttpRequest request)
    {
        var limit = ReadInt(request, "limit", DefaultLimit, 1, MaxLimit);
        var offset = ReadInt(request, "offset", 0, 0, int.MaxValue);
        var filter = request.Query["filter"].ToString().Trim();
        if (filter.Length == 0) return new EntityQuery(limit, offset);
        if (EqualsFilter().Match(filter) is { Success: true } eq) return new EntityQuery(limit, offset, NameEquals: eq.Groups[1].Value);
        if (ContainsFilter().Match(filter) is { Success: true } co) return new EntityQuery(limit, offset, NameContains: co.Groups[1].Value);
        if (filter.IndexOfAny(['"', '=', '<', '>', '(', ')']) < 0) return new EntityQuery(limit, offset, NameContains: filter);
        throw new ApiException(400, "INVALID_FILTER",
            $"filter '{filter}' is not supported; use name=\"x\", name contains \"x\", or plain text", new { field = "filter" });
    }

    private static int ReadInt(HttpRequest request, string name, int fallback, int min, int max)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0) return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new ApiException(400, "INVALID_PARAMETER", $"'{name}' must be an integer from {min} to {max}", new { field = name });
        return value;
    }

    [GeneratedRegex("""^name\s*=\s*"([^"]*)"$""")]
    private static partial Regex EqualsFilter();

    [GeneratedRegex("""^name\s+contains\s+"([^"]*)"$""", RegexOptions.IgnoreCase)]
    private static partial Regex ContainsFilter();
}
