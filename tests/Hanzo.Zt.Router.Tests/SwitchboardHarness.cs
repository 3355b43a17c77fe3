using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Tokens;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanzo.Zt.Router.Tests;

/// <summary>
/// A switchboard with the keys of a controller that exists only as a signing key: tokens are signed here and
/// verified by the switchboard as a router verifies the controller's, and revocations are handed to its feed.
/// </summary>
public sealed class SwitchboardHarness : IAsyncDisposable
{
    private const string Issuer = "https://controller.test";
    private readonly ECDsa _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly List<EdgePeer> _peers = [];
    private int _sessions;

    public SwitchboardHarness(Action<RouterOptions>? configure = null)
    {
        Options = new RouterOptions();
        configure?.Invoke(Options);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _ca = new CertificateRequest("CN=test controller CA", caKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        Feed = new ControllerFeed(_ca, [], NullLogger.Instance);
        Feed.UseKeys(new JsonWebKeySet { Keys = [JsonWebKey.FromPublicKey(_signingKey, "k1")] });
        Switchboard = new Switchboard(Feed, Options, NullLogger.Instance);
    }

    public RouterOptions Options { get; }

    /// <summary>A certificate to admit links with (any will do; the switchboard keeps its serial).</summary>
    public X509Certificate2 Certificate => _ca;

    internal ControllerFeed Feed { get; }

    internal Switchboard Switchboard { get; }

    public async Task<EdgePeer> ConnectAsync(string identityId)
    {
        var peer = await EdgePeer.ConnectAsync(Switchboard, identityId);
        _peers.Add(peer);
        return peer;
    }

    /// <summary>A session token as the controller signs it; the session id is fresh unless given.</summary>
    public string Token(string identityId, SessionType type, string serviceId = "svc-echo", string? sessionId = null, TimeSpan? lifetime = null) =>
        Token(new SessionTokenClaims(sessionId ?? NewSessionId(), identityId, serviceId, "echo", type, "api-1", Issuer,
            DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1))), _signingKey);

    /// <summary>A token with the right claims signed by a key the switchboard does not know.</summary>
    public string ForgedToken(string identityId, SessionType type)
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Token(new SessionTokenClaims(NewSessionId(), identityId, "svc-echo", "echo", type, "api-1", Issuer, DateTimeOffset.UtcNow.AddHours(1)), other);
    }

    /// <summary>A host bound to the service at <paramref name="cost"/> under bind id 7, its bind confirmed.</summary>
    public async Task<EdgePeer> BoundHostAsync(string identityId, ulong cost = 0, string? sessionId = null)
    {
        var host = await ConnectAsync(identityId);
        host.Send(Edge.Protocol.EdgeFrameKind.Bind, 7, cost, Token(identityId, SessionType.Bind, sessionId: sessionId));
        await host.ExpectAsync(Edge.Protocol.EdgeFrameKind.Bound, 7);
        return host;
    }

    /// <summary>Dials the service from <paramref name="dialer"/> on circuit 1, has <paramref name="host"/> accept; returns the host's circuit.</summary>
    public async Task<uint> SpliceAsync(EdgePeer dialer, EdgePeer host, string? sessionId = null, uint circuit = 1)
    {
        dialer.Send(Edge.Protocol.EdgeFrameKind.Dial, circuit, token: Token(dialer.IdentityId, SessionType.Dial, sessionId: sessionId));
        var connect = await host.NextAsync();
        connect.Kind.ShouldBe(Edge.Protocol.EdgeFrameKind.Connect);
        host.Send(Edge.Protocol.EdgeFrameKind.Dialed, connect.Circuit);
        await dialer.ExpectAsync(Edge.Protocol.EdgeFrameKind.Dialed, circuit);
        return connect.Circuit;
    }

    public string NewSessionId() => $"session-{Interlocked.Increment(ref _sessions)}";

    private static string Token(SessionTokenClaims claims, ECDsa key) =>
        CompactJws.Create(claims.ToPayload(DateTimeOffset.UtcNow), key, "k1", SessionTokenClaims.TokenType);

    public async ValueTask DisposeAsync()
    {
        Switchboard.StopGuards();
        foreach (var peer in _peers) await peer.DisposeAsync();
        Feed.Dispose();
        _ca.Dispose();
        _signingKey.Dispose();
    }
}
