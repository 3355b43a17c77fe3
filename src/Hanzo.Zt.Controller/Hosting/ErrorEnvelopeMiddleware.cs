using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Pki;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Controller.Hosting;

/// <summary>Turns every failure into an error envelope with a fitting 4xx status; only real faults answer 500.</summary>
internal sealed partial class ErrorEnvelopeMiddleware(RequestDelegate next, ILogger<ErrorEnvelopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var (status, code, message, cause) = e switch
            {
                ApiException api => (api.Status, api.Code, api.Message, api.ApiCause),
                BadHttpRequestException { StatusCode: 413 } => (413, "REQUEST_TOO_LARGE", "the request body is larger than the controller accepts", null),
                BadHttpRequestException bad => (bad.StatusCode, "BAD_REQUEST", bad.Message, null),
                StoreDuplicateException dup => (400, "COULD_NOT_VALIDATE", dup.Message, new { field = dup.Field }),
                StoreConflictException conflict => (409, "CONFLICT", conflict.Message, null),
                CsrValidationException csr => (400, "COULD_NOT_VALIDATE", csr.Message, new { field = "csr" }),
                JwtException jwt => (401, "INVALID_AUTH", jwt.Message, null),
                _ => (500, "UNHANDLED", "the controller failed to handle the request; see its log", (object?)null),
            };
            if (status >= 500) LogFault(e, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            if (e is ApiException { RetryAfter: { } retry })
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Envelope.WriteErrorAsync(context, status, code, message, cause);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "unhandled error in {Method} {Path}")]
    private partial void LogFault(Exception exception, string method, string path);
}
