using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Hanzo.Zt.Billing.Commerce;

/// <summary>
/// The Hanzo Commerce billing provider, speaking the contract of Hanzo's metering clients
/// (<c>@hanzo/commerce/metering</c>): <c>GET /v1/billing/balance</c> (or <c>/v1/billing/tier</c>) for the gate and
/// <c>POST /v1/billing/usage</c> with an idempotency key for usage, each with the service token and the
/// account's org as <c>X-Org-Id</c>. Transient failures (5xx, 408, 429, timeouts) are retried by the
/// HTTP client's resilience pipeline; other refusals surface at once as <see cref="ZtBillingException"/>
/// carrying the problem document.
/// </summary>
public sealed class CommerceBillingProvider : IBillingProvider
{
    /// <summary>The name of the <see cref="HttpClient"/> this provider asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "Hanzo.Zt.Billing.Commerce";

    private readonly IHttpClientFactory _clients;
    private readonly CommerceBillingOptions _options;
    private readonly string _baseUrl;

    /// <summary>Creates the provider.</summary>
    /// <param name="clients">Makes the resilient HTTP client registered by <c>AddCommerceBilling()</c>.</param>
    /// <param name="options">Where Commerce is and how to authenticate.</param>
    public CommerceBillingProvider(IHttpClientFactory clients, IOptions<CommerceBillingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options.Value;
        _baseUrl = (_options.BaseUrl ?? CommerceBillingOptions.DefaultBaseUrl).TrimEnd('/');
    }

    /// <inheritdoc />
    public async ValueTask<BalanceResult> GetBalanceAsync(string account, string currency = "usd", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var query = $"?user={Uri.EscapeDataString(account)}&currency={Uri.EscapeDataString(currency)}";
        if (_options.TierAware)
        {
            return await SendAsync(HttpMethod.Get, "/v1/billing/tier" + query, account, currency, null, null, body =>
            {
                var available = CommerceWire.RequireInt64(body, "balance.effectiveAvailable");
                var balance = body.GetProperty("balance");
                return new BalanceResult(account, currency,
                    CommerceWire.OptionalInt64(balance, "balance", available), CommerceWire.OptionalInt64(balance, "holds", 0), available);
            }, cancellationToken).ConfigureAwait(false);
        }
        return await SendAsync(HttpMethod.Get, "/v1/billing/balance" + query, account, currency, null, null, body => new BalanceResult(
            CommerceWire.OptionalString(body, "user") ?? account,
            CommerceWire.OptionalString(body, "currency") ?? currency,
            CommerceWire.OptionalInt64(body, "balance", 0),
            CommerceWire.OptionalInt64(body, "holds", 0),
            CommerceWire.RequireInt64(body, "available")), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The amount is not a whole number of cents (the outbox only posts whole cents).</exception>
    public async ValueTask RecordUsageAsync(UsageRecord usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.AmountMicros < 0 || usage.AmountMicros % UsageOutbox.MicrosPerCent != 0)
            throw new ArgumentException($"usage '{usage.RequestId}' is {usage.AmountMicros} micros, not a whole number of cents; post it through the UsageOutbox, which carries sub-cent remainders", nameof(usage));

        var request = new UsageRequest(usage.Account, usage.Currency, usage.AmountMicros / UsageOutbox.MicrosPerCent, _options.Provider,
            usage.Service, usage.RequestId, usage.Status, usage.ClientIp);
        await SendAsync(HttpMethod.Post, "/v1/billing/usage", usage.Account, usage.Currency, request, usage.RequestId,
            body => CommerceWire.RequireString(body, "transactionId"), cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string pathAndQuery, string account, string currency, UsageRequest? body, string? idempotencyKey,
        Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var path = pathAndQuery.Split('?')[0];
        using var request = new HttpRequestMessage(method, _baseUrl + pathAndQuery);
        request.Headers.Accept.ParseAdd("application/json");
        if (_options.ServiceToken is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Org-Id", OrgOf(account));
        if (_options.Test) request.Headers.TryAddWithoutValidation("X-Hanzo-Test", "true");
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("X-Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, CommerceJsonContext.Default.UsageRequest);

        HttpResponseMessage response;
        string text;
        try
        {
            response = await _clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ZtBillingException($"billing provider unreachable: {method} {_baseUrl}{path} failed: {e.Message}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var (title, detail) = CommerceWire.ReadProblem(text);
                var status = (int)response.StatusCode;
                var message = $"Hanzo Commerce refused {method} {path} with {CommerceWire.Status(response.StatusCode)}"
                    + ((detail ?? title) is { } said ? $": {said}" : "");
                if (response.StatusCode == HttpStatusCode.PaymentRequired && method == HttpMethod.Get)
                    throw new ZtInsufficientBalanceException(account, 0, currency, detail ?? title) { StatusCode = status, ProblemTitle = title, ProblemDetail = detail };
                throw new ZtBillingException(message, status, title, detail);
            }
            try
            {
                using var document = JsonDocument.Parse(text);
                return read(CommerceWire.Unwrap(document));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new ZtBillingException(
                    $"Hanzo Commerce answered {method} {path} with {CommerceWire.Status(response.StatusCode)} but a malformed body: {e.Message}",
                    (int)response.StatusCode, null, null, e);
            }
        }
    }

    // Usage is charged to the account's own org; accounts without one use the configured org.
    private string OrgOf(string account)
    {
        var slash = account.IndexOf('/');
        return slash > 0 ? account[..slash] : _options.Org;
    }
}
