namespace Hanzo.Zt.Controller.Pki;

/// <summary>A certificate signing request was refused: unreadable, badly signed, a weak key, or the wrong subject.</summary>
internal sealed class CsrValidationException(string message, Exception? innerException = null)
    : ZtException(ZtErrorCode.Identity, message, innerException);
