namespace Hanzo.Zt;

/// <summary>
/// Stable error codes carried by every <see cref="ZtException"/>. The numeric values are part of the
/// public contract: they never change meaning and are never reused.
/// </summary>
public enum ZtErrorCode
{
    /// <summary>An error that fits no other code.</summary>
    Unknown = 0,

    /// <summary>The controller refused the presented credentials.</summary>
    AuthFailed = 1,

    /// <summary>The operation needs an authenticated API session and there is none.</summary>
    NotAuthenticated = 2,

    /// <summary>The controller could not be reached or answered with an error.</summary>
    Controller = 3,

    /// <summary>The named service does not exist or is not visible to this identity.</summary>
    ServiceNotFound = 4,

    /// <summary>The session names no edge router this client can reach.</summary>
    NoEdgeRouters = 5,

    /// <summary>A connection could not be established.</summary>
    ConnectionFailed = 6,

    /// <summary>An established connection was closed by the peer or the fabric.</summary>
    ConnectionClosed = 7,

    /// <summary>The billing provider reports no positive available balance.</summary>
    InsufficientBalance = 8,

    /// <summary>The billing provider failed or could not be reached.</summary>
    Billing = 9,

    /// <summary>The configuration is missing a required value or holds an invalid one.</summary>
    InvalidConfig = 10,

    /// <summary>The identity (certificate, key or identity file) is missing, malformed or invalid.</summary>
    Identity = 11,

    /// <summary>An operation did not complete within its time limit.</summary>
    Timeout = 12,

    /// <summary>No policy grants the identity the requested access.</summary>
    AccessDenied = 13,

    /// <summary>A plugin could not be loaded or one of its types could not be constructed.</summary>
    Plugin = 14,

    /// <summary>A remote procedure call failed: the peer raised an exception or broke the RPC protocol.</summary>
    Rpc = 15,

    /// <summary>A peer broke a wire protocol: a malformed, oversized or out-of-window frame or message.</summary>
    Protocol = 16,

    /// <summary>A schema failed to compile, or a value does not fit its schema type.</summary>
    Schema = 17,

    /// <summary>
    /// A session token has as many circuits open as a router allows one token: a new session opens more. The SDK gets
    /// one itself and dials again.
    /// </summary>
    SessionLimit = 18,
}
