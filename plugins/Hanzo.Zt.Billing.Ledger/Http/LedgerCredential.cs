namespace Hanzo.Zt.Billing.Ledger.Http;

/// <summary>What a ledger token may do: <c>balance</c> (read balances and usage), <c>usage</c> (charge usage), <c>deposit</c> (add funds).</summary>
public static class LedgerScopes
{
    /// <summary>Read balances, tiers and usage lists.</summary>
    public const string Balance = "balance";

    /// <summary>Record (charge) usage.</summary>
    public const string Usage = "usage";

    /// <summary>Add funds: administration.</summary>
    public const string Deposit = "deposit";

    /// <summary>Every scope: the administration token.</summary>
    public static IReadOnlyList<string> All { get; } = [Balance, Usage, Deposit];

    /// <summary>What controllers and routers need: balance read and usage write, never deposit.</summary>
    public static IReadOnlyList<string> Metering { get; } = [Balance, Usage];
}

/// <summary>
/// A bearer token the ledger accepts, with the scopes it grants and the orgs it may act on. The token itself is
/// kept only as its SHA-256, compared in constant time.
/// </summary>
public sealed class LedgerCredential
{
    private readonly HashSet<string> _scopes;
    private readonly HashSet<string>? _orgs;

    /// <summary>Creates a credential for <paramref name="token"/>.</summary>
    /// <param name="token">The bearer token (a secret).</param>
    /// <param name="scopes">What it may do; see <see cref="LedgerScopes"/>.</param>
    /// <param name="orgs">The orgs it may act on; null for every org.</param>
    /// <param name="name">A name for logs and refusals (never the token).</param>
    public LedgerCredential(string token, IEnumerable<string> scopes, IEnumerable<string>? orgs, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        TokenHash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
        _scopes = new HashSet<string>(scopes, StringComparer.Ordinal);
        foreach (var scope in _scopes)
        {
            if (!LedgerScopes.All.Contains(scope))
                throw new ArgumentException($"'{scope}' is not a ledger scope ({string.Join(", ", LedgerScopes.All)})", nameof(scopes));
        }
        _orgs = orgs is null ? null : new HashSet<string>(orgs.Select(o => o.Trim()).Where(o => o.Length > 0), StringComparer.Ordinal);
        Name = name;
    }

    /// <summary>An administration token: every scope, every org.</summary>
    public static LedgerCredential Admin(string token) => new(token, LedgerScopes.All, null, "admin");

    /// <summary>A metering token: balance read and usage write for <paramref name="orgs"/> (null: every org), no deposits.</summary>
    public static LedgerCredential Metering(string token, IEnumerable<string>? orgs) => new(token, LedgerScopes.Metering, orgs, "metering");

    /// <summary>The name used in refusals.</summary>
    public string Name { get; }

    internal byte[] TokenHash { get; }

    /// <summary>Why <paramref name="scope"/> on <paramref name="orgs"/> is refused, or null when it is allowed.</summary>
    internal string? Refusal(string scope, params string?[] orgs)
    {
        if (!_scopes.Contains(scope)) return $"the {Name} token does not grant '{scope}'";
        if (_orgs is null) return null;
        foreach (var org in orgs)
        {
            if (org is not null && !_orgs.Contains(org)) return $"the {Name} token is not scoped to org '{org}'";
        }
        return null;
    }
}
