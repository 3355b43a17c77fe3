namespace Hanzo.Zt.Billing.Ledger;

/// <summary>The kind of a journal entry.</summary>
public enum LedgerEntryType
{
    /// <summary>Funds added to an org's wallet (a positive amount).</summary>
    Deposit,

    /// <summary>Usage charged to an org's wallet (stored as a negative amount).</summary>
    Usage,
}

/// <summary>
/// One journal entry as the ledger stored it. <see cref="Amount"/> is the magnitude in integer cents; the journal
/// itself stores usage as a negative amount.
/// </summary>
/// <param name="TransactionId">The ledger's id for the entry.</param>
/// <param name="Org">The org whose wallet the entry moved.</param>
/// <param name="User">The user the entry is attributed to (<c>org/name</c>, or the org itself).</param>
/// <param name="Currency">ISO currency code, lower case.</param>
/// <param name="Amount">The amount in integer cents, always positive.</param>
/// <param name="Type">Deposit or usage.</param>
/// <param name="Notes">Free text stored with the entry, when any.</param>
/// <param name="CreatedAt">When the entry was written (UTC).</param>
public sealed record LedgerEntry(
    string TransactionId,
    string Org,
    string User,
    string Currency,
    long Amount,
    LedgerEntryType Type,
    string? Notes,
    DateTimeOffset CreatedAt);

/// <summary>The usage to charge to a wallet. <see cref="RequestId"/> is the idempotency key.</summary>
public sealed record LedgerUsage
{
    /// <summary>The idempotency key: recording the same id twice charges once.</summary>
    public required string RequestId { get; init; }

    /// <summary>The org whose wallet is charged.</summary>
    public required string Org { get; init; }

    /// <summary>The user the usage is attributed to.</summary>
    public required string User { get; init; }

    /// <summary>The amount in integer cents; must be positive.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO currency code, lower case.</summary>
    public string Currency { get; init; } = "usd";

    /// <summary>The provider that served the usage, when known.</summary>
    public string? Provider { get; init; }

    /// <summary>The model or service that was used, when known.</summary>
    public string? Model { get; init; }

    /// <summary><c>success</c>, or why the work ended abnormally.</summary>
    public string? Status { get; init; }

    /// <summary>The client address, when known.</summary>
    public string? ClientIp { get; init; }

    /// <summary>Free text stored with the entry.</summary>
    public string? Notes { get; init; }
}

/// <summary>The outcome of recording usage: the stored entry, and whether this call was a replay of an earlier one.</summary>
/// <param name="Entry">The entry stored for the request id (the original one on a replay).</param>
/// <param name="IsReplay">True when the request id had already been recorded and nothing was charged.</param>
public sealed record UsageRecordingResult(LedgerEntry Entry, bool IsReplay);

/// <summary>A wallet balance in integer cents.</summary>
/// <param name="Org">The org that owns the wallet.</param>
/// <param name="User">The user the balance was asked for, or the org when none was given.</param>
/// <param name="Currency">ISO currency code, lower case.</param>
/// <param name="Balance">Deposits minus usage.</param>
public sealed record LedgerBalance(string Org, string User, string Currency, long Balance);

/// <summary>How the ledger names wallets: every wallet belongs to an org.</summary>
public static class LedgerAccounts
{
    /// <summary>
    /// The org that owns <paramref name="user"/>'s wallet: <paramref name="orgHeader"/> (the <c>X-Org-Id</c>
    /// header) when given, else the part of <paramref name="user"/> before <c>/</c>, else the user itself.
    /// </summary>
    public static string OrgOf(string? user, string? orgHeader = null)
    {
        if (!string.IsNullOrWhiteSpace(orgHeader)) return orgHeader.Trim();
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var slash = user.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? user[..slash] : user;
    }
}
