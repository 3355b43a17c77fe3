namespace Hanzo.Zt;

/// <summary>
/// The root of every error Hanzo ZT raises. <see cref="ErrorCode"/> is stable and safe to branch on;
/// the message says what failed and what to do about it.
/// </summary>
public class ZtException : Exception
{
    /// <summary>Creates an error with a code and a message.</summary>
    public ZtException(ZtErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The stable code of this error.</summary>
    public ZtErrorCode ErrorCode { get; }

    /// <summary>The code as the upper snake case name used on the wire and in logs, e.g. <c>INSUFFICIENT_BALANCE</c>.</summary>
    public string Code => ZtErrorCodes.ToWireName(ErrorCode);
}

/// <summary>Authentication failed or is missing (<see cref="ZtErrorCode.AuthFailed"/>, <see cref="ZtErrorCode.NotAuthenticated"/>).</summary>
public class ZtAuthenticationException(ZtErrorCode errorCode, string message, Exception? innerException = null)
    : ZtException(Require(errorCode, ZtErrorCode.AuthFailed, ZtErrorCode.NotAuthenticated), message, innerException)
{
    internal static ZtErrorCode Require(ZtErrorCode code, params ZtErrorCode[] allowed) =>
        Array.IndexOf(allowed, code) >= 0
            ? code
            : throw new ArgumentOutOfRangeException(nameof(code), code, $"expected one of: {string.Join(", ", allowed)}");
}

/// <summary>The controller could not be reached or answered with an error (<see cref="ZtErrorCode.Controller"/>).</summary>
public class ZtControllerException(string message, int? statusCode = null, string? controllerCode = null, Exception? innerException = null)
    : ZtException(ZtErrorCode.Controller, message, innerException)
{
    /// <summary>The HTTP status the controller answered with, when it answered.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>The controller's own error code (the <c>error.code</c> of its envelope), when it gave one.</summary>
    public string? ControllerCode { get; } = controllerCode;
}

/// <summary>The named service does not exist or is not visible to the caller (<see cref="ZtErrorCode.ServiceNotFound"/>).</summary>
public class ZtServiceNotFoundException(string serviceName, string? message = null)
    : ZtException(ZtErrorCode.ServiceNotFound, message ?? $"service '{serviceName}' was not found or is not visible to this identity")
{
    /// <summary>The service that was asked for.</summary>
    public string ServiceName { get; } = serviceName;
}

/// <summary>
/// A connection could not be made or was lost (<see cref="ZtErrorCode.ConnectionFailed"/>,
/// <see cref="ZtErrorCode.ConnectionClosed"/>, <see cref="ZtErrorCode.NoEdgeRouters"/>,
/// <see cref="ZtErrorCode.SessionLimit"/>).
/// </summary>
public class ZtConnectionException(ZtErrorCode errorCode, string message, Exception? innerException = null)
    : ZtException(
        ZtAuthenticationException.Require(errorCode, ZtErrorCode.ConnectionFailed, ZtErrorCode.ConnectionClosed, ZtErrorCode.NoEdgeRouters, ZtErrorCode.SessionLimit),
        message,
        innerException);

/// <summary>
/// The billing provider failed, refused, or could not be reached (<see cref="ZtErrorCode.Billing"/>). When the
/// provider answered with an RFC 9457 problem document, its status, title and detail are kept.
/// </summary>
public class ZtBillingException : ZtException
{
    /// <summary>Creates a billing error, e.g. "billing provider unreachable".</summary>
    public ZtBillingException(string message, Exception? innerException = null)
        : base(ZtErrorCode.Billing, message, innerException)
    {
    }

    /// <summary>Creates a billing error for a provider's answer: its HTTP status and problem document.</summary>
    public ZtBillingException(string message, int? statusCode, string? problemTitle, string? problemDetail, Exception? innerException = null)
        : base(ZtErrorCode.Billing, message, innerException)
    {
        StatusCode = statusCode;
        ProblemTitle = problemTitle;
        ProblemDetail = problemDetail;
    }

    /// <summary>For subclasses that carry a more precise code.</summary>
    protected ZtBillingException(ZtErrorCode errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }

    /// <summary>The HTTP status the provider answered with; null when it could not be reached.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The <c>title</c> of the provider's problem document, when it sent one.</summary>
    public string? ProblemTitle { get; init; }

    /// <summary>The <c>detail</c> of the provider's problem document, when it sent one.</summary>
    public string? ProblemDetail { get; init; }

    /// <summary>
    /// Whether sending the same request again can never succeed: the provider refused it with a 4xx status
    /// other than 408 (timeout), 409 (a duplicate still in flight) or 429 (throttled).
    /// </summary>
    public bool IsPermanent => StatusCode is >= 400 and < 500 and not (408 or 409 or 429);
}

/// <summary>The account has no positive available balance (<see cref="ZtErrorCode.InsufficientBalance"/>).</summary>
public class ZtInsufficientBalanceException(string account, long availableCents, string currency, string? problemDetail = null)
    : ZtBillingException(
        ZtErrorCode.InsufficientBalance,
        $"account '{account}' has no positive balance (available {availableCents} {currency} cents); add funds to dial"
            + (problemDetail is null ? "" : $" ({problemDetail})"))
{
    /// <summary>The account that was checked.</summary>
    public string Account { get; } = account;

    /// <summary>The available balance the provider reported, in cents.</summary>
    public long AvailableCents { get; } = availableCents;

    /// <summary>The currency of <see cref="AvailableCents"/>.</summary>
    public string Currency { get; } = currency;
}

/// <summary>The configuration is missing a required value or holds an invalid one (<see cref="ZtErrorCode.InvalidConfig"/>).</summary>
public class ZtConfigurationException(string message, Exception? innerException = null)
    : ZtException(ZtErrorCode.InvalidConfig, message, innerException);

/// <summary>An identity (certificate, key, identity file, credentials) is missing or invalid (<see cref="ZtErrorCode.Identity"/>).</summary>
public class ZtIdentityException(string message, Exception? innerException = null)
    : ZtException(ZtErrorCode.Identity, message, innerException);

/// <summary>An operation did not finish within its time limit (<see cref="ZtErrorCode.Timeout"/>).</summary>
public class ZtTimeoutException(string operation, TimeSpan limit, Exception? innerException = null)
    : ZtException(ZtErrorCode.Timeout, $"{operation} did not complete within {limit.TotalSeconds:0.###} s", innerException)
{
    /// <summary>The time limit that was exceeded.</summary>
    public TimeSpan Limit { get; } = limit;
}

/// <summary>No policy grants the requested access (<see cref="ZtErrorCode.AccessDenied"/>).</summary>
public class ZtAccessDeniedException(string message, Exception? innerException = null)
    : ZtException(ZtErrorCode.AccessDenied, message, innerException);

/// <summary>A plugin could not be loaded, or one of its types could not be constructed (<see cref="ZtErrorCode.Plugin"/>).</summary>
public class ZtPluginException(string pluginName, string message, Exception? innerException = null)
    : ZtException(ZtErrorCode.Plugin, $"plugin '{pluginName}': {message}", innerException)
{
    /// <summary>The plugin's name (its folder name).</summary>
    public string PluginName { get; } = pluginName;
}

/// <summary>
/// A peer broke a wire protocol (<see cref="ZtErrorCode.Protocol"/>): a malformed, oversized or out-of-window
/// frame or message. The connection it arrived on cannot be trusted further and is closed.
/// </summary>
public class ZtProtocolException(string message, Exception? innerException = null)
    : ZtException(ZtErrorCode.Protocol, message, innerException);
