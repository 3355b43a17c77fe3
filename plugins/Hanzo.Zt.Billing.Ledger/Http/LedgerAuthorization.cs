using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Billing.Ledger.Http;

/// <summary>
/// Finds the credential of <c>Authorization: Bearer</c> (every credential is compared, each in constant time, so
/// timing tells neither which token nor how much of it matched) and checks a request's scope and orgs against it.
/// </summary>
internal sealed class LedgerAuthorization(IReadOnlyList<LedgerCredential> credentials)
{
    private const string ItemKey = nameof(LedgerCredential);

    public LedgerCredential? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        LedgerCredential? match = null;
        foreach (var credential in credentials)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, credential.TokenHash)) match = credential;
        }
        if (match is not null) request.HttpContext.Items[ItemKey] = match;
        return match;
    }

    /// <summary>A 403 problem when the request's credential lacks <paramref name="scope"/> for the wallet org or the user's own org; null when allowed.</summary>
    public static IResult? Check(HttpRequest request, string scope, string? user, string? orgHeader)
    {
        var credential = (LedgerCredential)request.HttpContext.Items[ItemKey]!;
        var wallet = user is null && orgHeader is null ? null : LedgerAccounts.OrgOf(user, orgHeader);
        var userOrg = user is not null && user.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash ? user[..slash] : null;
        return credential.Refusal(scope, wallet, userOrg) is { } why ? Problem.Result(StatusCodes.Status403Forbidden, why) : null;
    }
}
