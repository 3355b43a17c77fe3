using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Hanzo.Zt.Billing.Ledger.Http;

/// <summary>An RFC 9457 problem document, written as <c>application/problem+json</c>.</summary>
internal sealed record Problem(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string Detail)
{
    public const string ContentType = "application/problem+json";

    public static Problem For(int status, string detail) =>
        new("about:blank", ReasonPhrases.GetReasonPhrase(status), status, detail);

    public static IResult Result(int status, string detail) => new ProblemResult(For(status, detail));

    public static Task WriteAsync(HttpContext context, int status, string detail) =>
        new ProblemResult(For(status, detail)).ExecuteAsync(context);

    private sealed class ProblemResult(Problem problem) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = problem.Status;
            httpContext.Response.ContentType = ContentType;
            await JsonSerializer.SerializeAsync(httpContext.Response.Body, problem, cancellationToken: httpContext.RequestAborted);
        }
    }
}
