using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Hanzo.Zt.Controller.Tokens;

namespace Hanzo.Zt.Controller.Tests;

public class TokenTests
{
    private static JsonObject SessionClaims(DateTimeOffset exp) => new()
    {
        ["jti"] = "s1", ["sub"] = "i1", ["svc"] = "svc1", ["svcName"] = "db", ["type"] = "Bind",
        ["apiSession"] = "a1", ["iss"] = "https://ctrl.test", ["exp"] = exp.ToUnixTimeSeconds(),
    };

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("RS512")]
    public void Signed_tokens_verify_with_the_public_key_only(string alg)
    {
        using AsymmetricAlgorithm key = alg.StartsWith('E') ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var token = CompactJws.Create(new JsonObject { ["sub"] = "x" }, key, "k", algorithm: alg);

        var jwk = JsonWebKey.FromPublicKey(key, "k");
        using var publicKey = JsonWebKeySet.Parse(new JsonWebKeySet { Keys = [jwk] }.ToJson()).Find("k")!.ToPublicKey();
        CompactJws.Parse(token).VerifySignature(publicKey).ShouldBeTrue();
        CompactJws.Parse(token[..^4] + "AAAA").VerifySignature(publicKey).ShouldBeFalse();
    }

    [Fact]
    public void The_session_token_verifier_checks_signature_expiry_issuer_and_claims()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = new SessionTokenVerifier(key, "k", "https://ctrl.test");
        string Make(JsonObject claims, ECDsa signer) => CompactJws.Create(claims, signer, "k", SessionTokenClaims.TokenType);

        var claims = verifier.Verify(Make(SessionClaims(DateTimeOffset.UtcNow.AddMinutes(5)), key));
        claims.ShouldBe(claims with { SessionId = "s1", IdentityId = "i1", ServiceId = "svc1", ServiceName = "db", Type = SessionType.Bind, ApiSessionId = "a1" });
        claims.IsBind.ShouldBeTrue();

        Should.Throw<JwtException>(() => verifier.Verify(Make(SessionClaims(DateTimeOffset.UtcNow.AddMinutes(-5)), key))).Message.ShouldContain("expired");
        Should.Throw<JwtException>(() => verifier.Verify(Make(SessionClaims(DateTimeOffset.UtcNow.AddMinutes(5)), other))).Message.ShouldContain("does not verify");
        var missing = SessionClaims(DateTimeOffset.UtcNow.AddMinutes(5));
        missing.Remove("svc");
        Should.Throw<JwtException>(() => verifier.Verify(Make(missing, key))).Message.ShouldContain("'svc'");
        var foreign = SessionClaims(DateTimeOffset.UtcNow.AddMinutes(5));
        foreign["iss"] = "https://elsewhere.test";
        verifier.TryVerify(Make(foreign, key), out _).ShouldBeFalse();
        verifier.TryVerify("a.b", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("none", "unsigned")]
    [InlineData("HS256", "symmetric")]
    [InlineData("EdDSA", "not supported")]
    [InlineData(null, "no signature algorithm")]
    public void Unacceptable_algorithms_are_refused_with_a_reason(string? alg, string reason)
    {
        using var key = ECDsa.Create();
        Should.Throw<JwtException>(() => JwsAlgorithms.Verify(alg!, key, [1], [2])).Message.ShouldContain(reason);
    }
}
