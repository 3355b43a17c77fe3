namespace Hanzo.Zt.IntegrationTests;

/// <summary>A service with a host identity allowed to bind it and a client identity allowed to dial it, both enrolled.</summary>
public sealed record ServiceSetup(string Service, string HostId, string HostIdentity, string ClientId, string ClientIdentity);
