using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanzo.Zt.Tokens;

/// <summary>A public JSON Web Key (RFC 7517) of type EC (P-256/384/521) or RSA.</summary>
public sealed record JsonWebKey
{
    /// <summary>Key type: <c>EC</c> or <c>RSA</c> (others are kept but cannot be used).</summary>
    [JsonPropertyName("kty")] public string Kty { get; init; } = "";

    /// <summary>Key id, matched against a token's <c>kid</c>.</summary>
    [JsonPropertyName("kid")] public string? Kid { get; init; }

    /// <summary>Intended use (<c>sig</c>).</summary>
    [JsonPropertyName("use")] public string? Use { get; init; }

    /// <summary>The algorithm the key is for, when the publisher says.</summary>
    [JsonPropertyName("alg")] public string? Alg { get; init; }

    /// <summary>EC curve: <c>P-256</c>, <c>P-384</c> or <c>P-521</c>.</summary>
    [JsonPropertyName("crv")] public string? Crv { get; init; }

    /// <summary>EC x coordinate (base64url).</summary>
    [JsonPropertyName("x")] public string? X { get; init; }

    /// <summary>EC y coordinate (base64url).</summary>
    [JsonPropertyName("y")] public string? Y { get; init; }

    /// <summary>RSA modulus (base64url).</summary>
    [JsonPropertyName("n")] public string? N { get; init; }

    /// <summary>RSA public exponent (base64url).</summary>
    [JsonPropertyName("e")] public string? E { get; init; }

    /// <summary>The public key of an ECDSA key.</summary>
    public static JsonWebKey FromPublicKey(AsymmetricAlgorithm key, string? kid)
    {
        switch (key)
        {
            case ECDsa ec:
                var p = ec.ExportParameters(false);
                return new JsonWebKey
                {
                    Kty = "EC", Kid = kid, Use = "sig", Alg = JwsAlgorithms.ForKey(ec), Crv = CurveName(ec.KeySize),
                    X = Base64Url.EncodeToString(p.Q.X), Y = Base64Url.EncodeToString(p.Q.Y),
                };
            case RSA rsa:
                var r = rsa.ExportParameters(false);
                return new JsonWebKey
                {
                    Kty = "RSA", Kid = kid, Use = "sig",
                    N = Base64Url.EncodeToString(r.Modulus), E = Base64Url.EncodeToString(r.Exponent),
                };
            default:
                throw new JwtException($"cannot describe a {key.GetType().Name} key as a JWK");
        }
    }

    /// <summary>Builds the key this JWK describes.</summary>
    /// <exception cref="JwtException">The key type or curve is not supported, or a parameter is missing.</exception>
    public AsymmetricAlgorithm ToPublicKey()
    {
        try
        {
            switch (Kty)
            {
                case "EC":
                    var curve = Crv switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => throw new JwtException($"EC curve '{Crv}' is not supported"),
                    };
                    return ECDsa.Create(new ECParameters
                    {
                        Curve = curve,
                        Q = new ECPoint { X = Decode(X, "x"), Y = Decode(Y, "y") },
                    });
                case "RSA":
                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = Decode(N, "n"), Exponent = Decode(E, "e") });
                    return rsa;
                default:
                    throw new JwtException($"key type '{Kty}' is not supported (EC and RSA are)");
            }
        }
        catch (CryptographicException e)
        {
            throw new JwtException($"key '{Kid}' is not a valid {Kty} key", e);
        }
    }

    private static byte[] Decode(string? value, string name)
    {
        if (string.IsNullOrEmpty(value)) throw new JwtException($"the JWK has no '{name}'");
        try { return Base64Url.DecodeFromChars(value); }
        catch (FormatException e) { throw new JwtException($"the JWK '{name}' is not base64url", e); }
    }

    private static string CurveName(int bits) => bits switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
}

/// <summary>A JSON Web Key Set: <c>{"keys":[…]}</c>.</summary>
public sealed record JsonWebKeySet
{
    /// <summary>The keys.</summary>
    [JsonPropertyName("keys")] public IReadOnlyList<JsonWebKey> Keys { get; init; } = [];

    /// <summary>Parses a JWKS document.</summary>
    /// <exception cref="JwtException">The text is not a JWKS.</exception>
    public static JsonWebKeySet Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonWebKeySet>(json) ?? throw new JwtException("the JWKS document is empty");
        }
        catch (JsonException e)
        {
            throw new JwtException("the JWKS document is not valid JSON", e);
        }
    }

    /// <summary>The key with id <paramref name="kid"/>; with no kid, the only key when there is one.</summary>
    public JsonWebKey? Find(string? kid) =>
        kid is null ? (Keys.Count == 1 ? Keys[0] : null) : Keys.FirstOrDefault(k => k.Kid == kid);

    /// <summary>Serializes the set as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);

    private static readonly JsonSerializerOptions SerializerOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
