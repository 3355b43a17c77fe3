using Hanzo.Zt.Controller.Store;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>The authenticated caller of a request: its API session and identity.</summary>
internal sealed record Caller(ApiSessionRecord ApiSession, IdentityRecord Identity);
