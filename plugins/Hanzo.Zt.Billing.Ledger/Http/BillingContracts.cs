namespace Hanzo.Zt.Billing.Ledger.Http;

// The wire shapes of Hanzo Commerce's billing API (camelCase JSON, amounts in integer cents).

internal sealed record BalanceResponse(string User, string Currency, long Balance, long Holds, long Available);

internal sealed record TransactionResponse(string TransactionId, string User, long Amount, string Currency, string Type);

internal sealed record UsageItem(string TransactionId, long Amount, string Currency, string? Notes, DateTimeOffset CreatedAt);

internal sealed record UsageListResponse(string User, int Count, IReadOnlyList<UsageItem> Usage);
