namespace Hanzo.Zt.Testing;

/// <summary>An identity enrolled on a <see cref="ZtTestNetwork"/>.</summary>
/// <param name="Id">The controller's id for it.</param>
/// <param name="Name">Its name (policies and usage refer to it).</param>
/// <param name="IdentityFile">The enrolled identity file (key, certificate, CA, controller URL).</param>
public sealed record ZtTestIdentity(string Id, string Name, string IdentityFile);

/// <summary>A service on a <see cref="ZtTestNetwork"/> with one identity allowed to bind it and one to dial it.</summary>
/// <param name="Name">The service name (<c>zt://{Name}</c>, <c>http://{Name}/</c>).</param>
/// <param name="Host">The identity with a Bind policy: serve the service as it.</param>
/// <param name="Client">The identity with a Dial policy: call the service as it.</param>
public sealed record ZtTestService(string Name, ZtTestIdentity Host, ZtTestIdentity Client);
