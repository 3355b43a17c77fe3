using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hanzo.Zt.Billing.Ledger.Http;

/// <summary>The <c>/v1/billing</c> routes of Hanzo Commerce's billing API, answered from a <see cref="LedgerStore"/>.</summary>
internal static class LedgerEndpoints
{
    public const string OrgHeader = "X-Org-Id";
    public const string IdempotencyHeader = "X-Idempotency-Key";

    public static void Map(IEndpointRouteBuilder app, LedgerStore store)
    {
        // Usage requests being recorded right now, by request id: a duplicate arriving meanwhile gets 409.
        var inFlight = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var billing = app.MapGroup("/v1/billing");
        billing.MapGet("/balance", (HttpRequest request, CancellationToken ct) => GetBalanceAsync(store, request, ct));
        billing.MapGet("/tier", (HttpRequest request, CancellationToken ct) => GetTierAsync(store, request, ct));
        billing.MapPost("/deposit", (HttpRequest request, CancellationToken ct) => DepositAsync(store, request, ct));
        billing.MapPost("/usage", (HttpRequest request, CancellationToken ct) => RecordUsageAsync(store, inFlight, request, ct));
        billing.MapGet("/usage", (HttpRequest request, CancellationToken ct) => ListUsageAsync(store, request, ct));
    }

    private static async Task<IResult> GetBalanceAsync(LedgerStore store, HttpRequest request, CancellationToken ct)
    {
        var user = NullIfBlank(request.Query["user"].ToString());
        var org = NullIfBlank(request.Headers[OrgHeader].ToString());
        if (user is null && org is null)
            return Problem.Result(400, $"the 'user' query parameter or the {OrgHeader} header is required");
        if (LedgerAuthorization.Check(request, LedgerScopes.Balance, user, org) is { } refused) return refused;
        var currency = CurrencyOf(request.Query["currency"].ToString());

        var balance = await store.GetBalanceAsync(LedgerAccounts.OrgOf(user, org), user ?? org, currency, ct);
        const long holds = 0;
        return Results.Json(new BalanceResponse(balance.User, balance.Currency, balance.Balance, holds, balance.Balance - holds));
    }

    // The ledger has no plans: the effective balance is the prepaid balance.
    private static async Task<IResult> GetTierAsync(LedgerStore store, HttpRequest request, CancellationToken ct)
    {
        var user = NullIfBlank(request.Query["user"].ToString());
        var org = NullIfBlank(request.Headers[OrgHeader].ToString());
        if (user is null && org is null)
            return Problem.Result(400, $"the 'user' query parameter or the {OrgHeader} header is required");
        if (LedgerAuthorization.Check(request, LedgerScopes.Balance, user, org) is { } refused) return refused;
        var balance = await store.GetBalanceAsync(LedgerAccounts.OrgOf(user, org), user ?? org, CurrencyOf(request.Query["currency"].ToString()), ct);
        return Results.Json(new
        {
            tier = "prepaid",
            balance = new { balance = balance.Balance, holds = 0L, available = balance.Balance, effectiveAvailable = balance.Balance },
        });
    }

    private static async Task<IResult> DepositAsync(LedgerStore store, HttpRequest request, CancellationToken ct)
    {
        // Refused before the body is read: a metering token learns nothing from a deposit attempt.
        if (LedgerAuthorization.Check(request, LedgerScopes.Deposit, null, null) is { } forbidden) return forbidden;
        var (body, error) = await ReadObjectAsync(request, ct);
        if (error is not null) return error;
        if (!TryReadCommon(body, out var user, out var amount, out var currency, out error)) return error;
        if (!TryGetString(body, "notes", out var notes, out error)) return error;
        if (LedgerAuthorization.Check(request, LedgerScopes.Deposit, user, NullIfBlank(request.Headers[OrgHeader].ToString())) is { } refused) return refused;

        var entry = await store.DepositAsync(LedgerAccounts.OrgOf(user, request.Headers[OrgHeader]), user, amount, currency, notes, ct);
        return Results.Json(Transaction(entry), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RecordUsageAsync(LedgerStore store, ConcurrentDictionary<string, byte> inFlight, HttpRequest request, CancellationToken ct)
    {
        if (LedgerAuthorization.Check(request, LedgerScopes.Usage, null, null) is { } forbidden) return forbidden;
        var (body, error) = await ReadObjectAsync(request, ct);
        if (error is not null) return error;
        if (!TryReadCommon(body, out var user, out var amount, out var currency, out error)) return error;
        if (!TryGetString(body, "requestId", out var requestId, out error)
            || !TryGetString(body, "provider", out var provider, out error)
            || !TryGetString(body, "model", out var model, out error)
            || !TryGetString(body, "status", out var status, out error)
            || !TryGetString(body, "clientIp", out var clientIp, out error)
            || !TryGetString(body, "notes", out var notes, out error))
            return error;
        if (LedgerAuthorization.Check(request, LedgerScopes.Usage, user, NullIfBlank(request.Headers[OrgHeader].ToString())) is { } refused) return refused;
        requestId ??= NullIfBlank(request.Headers[IdempotencyHeader].ToString());
        if (requestId is null)
            return Problem.Result(400, $"usage needs an idempotency key: 'requestId' in the body or the {IdempotencyHeader} header");

        if (!inFlight.TryAdd(requestId, 0))
            return Problem.Result(409, $"usage '{requestId}' is already being recorded; retry later to get its result");
        try
        {
            var result = await store.RecordUsageAsync(
            new LedgerUsage
            {
                RequestId = requestId,
                Org = LedgerAccounts.OrgOf(user, request.Headers[OrgHeader]),
                User = user,
                Amount = amount,
                Currency = currency,
                Provider = provider,
                Model = model,
                Status = status,
                ClientIp = clientIp,
                Notes = notes ?? DescribeUsage(provider, model),
            },
            ct);
            return Results.Json(
                Transaction(result.Entry),
                statusCode: result.IsReplay ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        }
        finally
        {
            inFlight.TryRemove(requestId, out _);
        }
    }

    private static async Task<IResult> ListUsageAsync(LedgerStore store, HttpRequest request, CancellationToken ct)
    {
        var user = NullIfBlank(request.Query["user"].ToString());
        if (user is null) return Problem.Result(400, "the 'user' query parameter is required");
        if (LedgerAuthorization.Check(request, LedgerScopes.Balance, user, null) is { } refused) return refused;
        var currency = CurrencyOf(request.Query["currency"].ToString());

        var entries = await store.ListUsageAsync(user, currency, ct);
        var items = entries.Select(e => new UsageItem(e.TransactionId, e.Amount, e.Currency, e.Notes, e.CreatedAt)).ToList();
        return Results.Json(new UsageListResponse(user, items.Count, items));
    }

    private static string? DescribeUsage(string? provider, string? model) =>
        (provider, model) switch
        {
            (null, null) => null,
            (_, null) => provider,
            (null, _) => model,
            _ => $"{provider}/{model}",
        };

    private static TransactionResponse Transaction(LedgerEntry entry) =>
        new(entry.TransactionId, entry.User, entry.Amount, entry.Currency, entry.Type == LedgerEntryType.Usage ? "usage" : "deposit");

    private static async Task<(JsonElement Body, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, Problem.Result(400, "the request body must be a JSON object"));
        }
        catch (JsonException ex)
        {
            return (default, Problem.Result(400, $"the request body is not valid JSON: {ex.Message}"));
        }
        catch (BadHttpRequestException ex)
        {
            return (default, Problem.Result(ex.StatusCode, ex.Message));
        }
    }

    private static bool TryReadCommon(JsonElement body, out string user, out long amount, out string currency, out IResult error)
    {
        user = "";
        amount = 0;
        currency = "usd";
        if (!TryGetString(body, "user", out var maybeUser, out error)) return false;
        if (maybeUser is null)
        {
            error = Problem.Result(400, "'user' is required");
            return false;
        }
        user = maybeUser;

        if (!body.TryGetProperty("amount", out var amountElement) || amountElement.ValueKind != JsonValueKind.Number
            || !amountElement.TryGetInt64(out amount))
        {
            error = Problem.Result(400, "'amount' is required and must be an integer number of cents");
            return false;
        }
        if (amount <= 0)
        {
            error = Problem.Result(400, $"'amount' must be positive (got {amount})");
            return false;
        }

        if (!TryGetString(body, "currency", out var maybeCurrency, out error)) return false;
        currency = CurrencyOf(maybeCurrency);
        return true;
    }

    private static bool TryGetString(JsonElement body, string name, out string? value, out IResult error)
    {
        value = null;
        error = null!;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String)
        {
            error = Problem.Result(400, $"'{name}' must be a string");
            return false;
        }
        value = NullIfBlank(element.GetString());
        return true;
    }

    private static string CurrencyOf(string? currency) => NullIfBlank(currency)?.ToLowerInvariant() ?? "usd";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
