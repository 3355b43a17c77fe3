namespace Hanzo.Zt.Tokens;

/// <summary>A token is malformed, unsigned, badly signed, expired or otherwise not acceptable.</summary>
public sealed class JwtException(string message, Exception? innerException = null)
    : ZtAuthenticationException(ZtErrorCode.AuthFailed, message, innerException);
