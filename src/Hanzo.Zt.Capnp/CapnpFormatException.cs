namespace Hanzo.Zt.Capnp;

/// <summary>
/// A Cap'n Proto message is malformed, exceeds a reader limit, or does not match the schema it is read with.
/// Every violation found while reading a message surfaces as this exception, never as an index or
/// overflow error. Its code is <see cref="ZtErrorCode.Protocol"/>.
/// </summary>
public sealed class CapnpFormatException : ZtProtocolException
{
    /// <summary>Creates the exception with a message that says what was wrong.</summary>
    public CapnpFormatException(string message)
        : base(message, null)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public CapnpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
