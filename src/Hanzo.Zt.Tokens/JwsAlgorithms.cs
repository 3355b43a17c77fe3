using System.Security.Cryptography;

namespace Hanzo.Zt.Tokens;

/// <summary>
/// The JWS signature algorithms (RFC 7518) this code signs and verifies with
/// <see cref="System.Security.Cryptography"/>: ES256/384/512, RS256/384/512 and PS256/384/512.
/// Symmetric (HS*) and unsigned (<c>none</c>) tokens are never accepted; EdDSA is refused because the
/// platform has no Ed25519 implementation.
/// </summary>
public static class JwsAlgorithms
{
    /// <summary>The algorithms that <see cref="Verify"/> accepts.</summary>
    public static IReadOnlyList<string> Supported { get; } =
        ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    /// <summary>Whether <paramref name="alg"/> is one of <see cref="Supported"/>.</summary>
    public static bool IsSupported(string? alg) => alg is not null && Supported.Contains(alg, StringComparer.Ordinal);

    /// <summary>Throws, saying why, unless <paramref name="alg"/> is one of <see cref="Supported"/>.</summary>
    /// <exception cref="JwtException">The algorithm is missing, <c>none</c>, symmetric or unknown.</exception>
    public static void EnsureAccepted(string? alg) => HashFor(alg);

    /// <summary>Signs <paramref name="data"/> with <paramref name="key"/> under <paramref name="alg"/>.</summary>
    /// <exception cref="JwtException">The algorithm is not supported or does not fit the key.</exception>
    public static byte[] Sign(string alg, AsymmetricAlgorithm key, ReadOnlySpan<byte> data)
    {
        var hash = HashFor(alg);
        return (alg[0], key) switch
        {
            ('E', ECDsa ec) => ec.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            ('R', RSA rsa) => rsa.SignData(data.ToArray(), hash, RSASignaturePadding.Pkcs1),
            ('P', RSA rsa) => rsa.SignData(data.ToArray(), hash, RSASignaturePadding.Pss),
            _ => throw new JwtException($"algorithm '{alg}' does not fit a {key.GetType().Name} key"),
        };
    }

    /// <summary>Verifies a signature; false when it does not match or the key does not fit the algorithm.</summary>
    /// <exception cref="JwtException">The algorithm is not supported (including <c>none</c>, HS* and EdDSA).</exception>
    public static bool Verify(string alg, AsymmetricAlgorithm key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var hash = HashFor(alg);
        try
        {
            return (alg[0], key) switch
            {
                ('E', ECDsa ec) => ec.KeySize == CurveBits(alg) &&
                    ec.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                ('R', RSA rsa) => rsa.KeySize >= 2048 && rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1),
                ('P', RSA rsa) => rsa.KeySize >= 2048 && rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The algorithm name to sign with for a key: ES256/384/512 by curve size, RS256 for RSA.</summary>
    public static string ForKey(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: 256 } => "ES256",
        ECDsa { KeySize: 384 } => "ES384",
        ECDsa { KeySize: 521 } => "ES512",
        RSA => "RS256",
        _ => throw new JwtException($"no JWS algorithm for a {key.GetType().Name} key of {key.KeySize} bits"),
    };

    private static int CurveBits(string alg) => alg switch { "ES256" => 256, "ES384" => 384, _ => 521 };

    private static HashAlgorithmName HashFor(string? alg) => alg switch
    {
        "ES256" or "RS256" or "PS256" => HashAlgorithmName.SHA256,
        "ES384" or "RS384" or "PS384" => HashAlgorithmName.SHA384,
        "ES512" or "RS512" or "PS512" => HashAlgorithmName.SHA512,
        null or "" => throw new JwtException("the token names no signature algorithm"),
        "none" => throw new JwtException("unsigned tokens (alg 'none') are not accepted"),
        _ when alg.StartsWith("HS", StringComparison.Ordinal) =>
            throw new JwtException($"symmetric algorithm '{alg}' is not accepted; sign with RS256, PS256 or ES256"),
        _ => throw new JwtException($"algorithm '{alg}' is not supported; use one of {string.Join(", ", Supported)}"),
    };
}
