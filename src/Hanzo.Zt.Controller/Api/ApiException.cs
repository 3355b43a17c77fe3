namespace Hanzo.Zt.Controller.Api;

/// <summary>An error answered with an OpenZiti-style envelope: <c>{error:{code, message, cause?}, meta:{}}</c>.</summary>
/// <param name="status">The HTTP status.</param>
/// <param name="code">The envelope's code, e.g. <c>UNAUTHORIZED</c>.</param>
/// <param name="message">What failed and what to do.</param>
/// <param name="cause">Optional detail, e.g. the field at fault.</param>
internal sealed class ApiException(int status, string code, string message, object? cause = null) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The envelope's code.</summary>
    public string Code { get; } = code;

    /// <summary>Optional detail.</summary>
    public object? ApiCause { get; } = cause;

    /// <summary>When set, answered as <c>Retry-After</c> (whole seconds).</summary>
    public TimeSpan? RetryAfter { get; init; }

    internal static ApiException Unauthorized(string message = "the request has no valid API session (header zt-session)") =>
        new(401, "UNAUTHORIZED", message);

    internal static ApiException InvalidAuth(string message) => new(401, "INVALID_AUTH", message);

    internal static ApiException Forbidden(string message) => new(403, "FORBIDDEN", message);

    internal static ApiException NotFound(string kind, string id) => new(404, "NOT_FOUND", $"{kind} '{id}' was not found");

    internal static ApiException Invalid(string message, string? field = null) =>
        new(400, "COULD_NOT_VALIDATE", message, field is null ? null : new { field });
}
