using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Billing.Ledger.Http;

/// <summary>Checks <c>Authorization: Bearer</c> against the service token in constant time.</summary>
internal sealed class BearerTokenCheck(string serviceToken)
{
    // Comparing hashes keeps the comparison constant-time in the token's length as well as its content.
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(serviceToken));

    public bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}
