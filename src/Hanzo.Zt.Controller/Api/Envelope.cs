using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Controller.Api;

/// <summary>The response envelopes: <c>{data, meta}</c>, lists with pagination, and errors.</summary>
internal static class Envelope
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly object EmptyMeta = new { };

    public static IResult Ok(object data, int status = 200) =>
        Results.Json(new { data, meta = EmptyMeta }, Json, statusCode: status);

    public static IResult Created(object data) => Ok(data, 201);

    public static IResult Empty() => Results.Json(new { data = EmptyMeta, meta = EmptyMeta }, Json);

    public static IResult List<T>(IEnumerable<T> items, int limit, int offset, int totalCount) =>
        Results.Json(new { data = items, meta = new { pagination = new { limit, offset, totalCount } } }, Json);

    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message, object? cause = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { code, message, cause }, meta = EmptyMeta }, Json);
    }
}
