using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hanzo.Zt.Tokens;

/// <summary>
/// A compact-serialized JWS (<c>header.payload.signature</c>, base64url without padding) split into its
/// parts. Parsing checks only the shape; <see cref="VerifySignature"/> checks the signature.
/// </summary>
public sealed class CompactJws
{
    /// <summary>Tokens longer than this are refused before any parsing.</summary>
    public const int MaxLength = 16 * 1024;

    private readonly byte[] _signingInput;
    private readonly byte[] _signature;

    private CompactJws(JsonElement header, JsonElement payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        _signingInput = signingInput;
        _signature = signature;
    }

    /// <summary>The protected header (a JSON object).</summary>
    public JsonElement Header { get; }

    /// <summary>The claims (a JSON object).</summary>
    public JsonElement Payload { get; }

    /// <summary>The header's <c>alg</c>, or null.</summary>
    public string? Algorithm => GetString(Header, "alg");

    /// <summary>The header's <c>kid</c>, or null.</summary>
    public string? KeyId => GetString(Header, "kid");

    /// <summary>Splits and decodes a compact JWS.</summary>
    /// <exception cref="JwtException">The text is not a well-formed compact JWS with JSON object parts.</exception>
    public static CompactJws Parse(string token)
    {
        if (string.IsNullOrWhiteSpace(token)) throw new JwtException("the token is empty");
        if (token.Length > MaxLength) throw new JwtException($"the token is longer than {MaxLength} characters");
        var parts = token.Split('.');
        if (parts.Length != 3) throw new JwtException("the token is not a compact JWS (header.payload.signature)");
        try
        {
            var header = ParseObject(parts[0], "header");
            var payload = ParseObject(parts[1], "payload");
            var signature = Base64Url.DecodeFromChars(parts[2]);
            return new CompactJws(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        }
        catch (FormatException e)
        {
            throw new JwtException("the token is not valid base64url", e);
        }
    }

    /// <summary>Signs <paramref name="claims"/> with <paramref name="key"/> and returns the compact JWS.</summary>
    public static string Create(JsonObject claims, AsymmetricAlgorithm key, string? keyId, string? type = "JWT", string? algorithm = null)
    {
        var alg = algorithm ?? JwsAlgorithms.ForKey(key);
        var header = new JsonObject { ["alg"] = alg };
        if (type is not null) header["typ"] = type;
        if (keyId is not null) header["kid"] = keyId;
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." +
                           Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = JwsAlgorithms.Sign(alg, key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Whether the signature verifies under <paramref name="key"/> with the header's algorithm.</summary>
    /// <exception cref="JwtException">The header names no algorithm, or one that is never accepted.</exception>
    public bool VerifySignature(AsymmetricAlgorithm key) =>
        JwsAlgorithms.Verify(Algorithm ?? "", key, _signingInput, _signature);

    /// <summary>A string claim, or null when absent or not a string.</summary>
    public string? GetClaim(string name) => GetString(Payload, name);

    /// <summary>A numeric date claim (seconds since the epoch), or null.</summary>
    public DateTimeOffset? GetTime(string name) =>
        Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;

    /// <summary>
    /// Checks <c>exp</c> (required) and <c>nbf</c>/<c>iat</c> against <paramref name="now"/> with <paramref name="skew"/> tolerance.
    /// </summary>
    public void ValidateLifetime(DateTimeOffset now, TimeSpan skew)
    {
        var exp = GetTime("exp") ?? throw new JwtException("the token has no expiry (exp)");
        if (now - skew >= exp) throw new JwtException($"the token expired at {exp:O}");
        if (GetTime("nbf") is { } nbf && now + skew < nbf) throw new JwtException($"the token is not valid before {nbf:O}");
        if (GetTime("iat") is { } iat && now + skew < iat) throw new JwtException("the token was issued in the future");
    }

    private static JsonElement ParseObject(string part, string what)
    {
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(part));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JwtException($"the token {what} is not a JSON object");
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new JwtException($"the token {what} is not JSON", e);
        }
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
