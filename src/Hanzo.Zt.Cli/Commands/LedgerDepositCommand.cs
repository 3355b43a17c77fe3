using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Billing.Ledger;
using Hanzo.Zt.Cli.Admin;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt ledger deposit &lt;user&gt; &lt;cents&gt;</c>: adds funds to a wallet of the embedded ledger, through a running
/// <c>zt ledger serve</c> (<c>--url</c>, bearer token from <c>COMMERCE_SERVICE_TOKEN</c>) or straight into its journal
/// (<c>--data-dir</c>). Prints the balance after.
/// </summary>
internal static class LedgerDepositCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "The account, org/name (the wallet is the org's)." };
        var amount = new Argument<long>("amount") { Description = "Amount in cents (integer, positive)." };
        var currency = new Option<string>("--currency") { Description = "Currency.", DefaultValueFactory = _ => "usd" };
        var url = new Option<string?>("--url") { Description = $"A running ledger server (bearer token from {LedgerCommand.TokenVariable})." };
        var dataDir = new Option<string?>("--data-dir") { Description = "The ledger's data directory, written directly." };
        var notes = new Option<string?>("--notes") { Description = "A note kept with the deposit." };
        var json = new Option<bool>("--json") { Description = "Print the deposit and balance as JSON." };
        var command = new Command("deposit", "Add funds to a ledger wallet.") { user, amount, currency, url, dataDir, notes, json };
        command.SetAction((parseResult, cancellationToken) => CliFailure.RunAsync("ledger deposit", parseResult.InvocationConfiguration.Error, async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            string account = parseResult.GetValue(user)!;
            long cents = parseResult.GetValue(amount);
            string money = parseResult.GetValue(currency)!;
            if (cents <= 0)
            {
                throw new ZtConfigurationException($"the amount must be a positive number of cents, not {cents}");
            }

            if (!account.Contains('/', StringComparison.Ordinal))
            {
                throw new ZtConfigurationException($"'{account}' is not an account: name it org/name, e.g. demo/{account}");
            }

            var (transaction, balance) = (parseResult.GetValue(url), parseResult.GetValue(dataDir)) switch
            {
                ({ } server, null) => await OverHttpAsync(new Uri(server), account, cents, money, parseResult.GetValue(notes), cancellationToken),
                (null, { } directory) => await IntoJournalAsync(directory, account, cents, money, parseResult.GetValue(notes), cancellationToken),
                _ => throw new ZtConfigurationException("give exactly one of --url (a running `zt ledger serve`) and --data-dir (the ledger's directory)"),
            };

            if (parseResult.GetValue(json))
            {
                await TableWriter.WriteJsonAsync(output, new { transactionId = transaction, user = account, amount = cents, currency = money, balance });
            }
            else
            {
                await output.WriteLineAsync($"deposited {cents} cents ({money}) to {LedgerAccounts.OrgOf(account)} for {account}; balance {balance} cents");
            }

            return 0;
        }));
        return command;
    }

    private static async Task<(string Transaction, long Balance)> IntoJournalAsync(string directory, string account, long cents, string currency, string? notes, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new ZtConfigurationException($"the ledger directory '{directory}' does not exist");
        }

        await using var store = await LedgerStore.OpenAsync(directory, cancellationToken);
        string org = LedgerAccounts.OrgOf(account);
        var entry = await store.DepositAsync(org, account, cents, currency, notes ?? "zt ledger deposit", cancellationToken);
        var balance = await store.GetBalanceAsync(org, account, currency, cancellationToken);
        return (entry.TransactionId, balance.Balance);
    }

    private static async Task<(string Transaction, long Balance)> OverHttpAsync(Uri server, string account, long cents, string currency, string? notes, CancellationToken cancellationToken)
    {
        string token = Environment.GetEnvironmentVariable(LedgerCommand.TokenVariable) is { Length: > 0 } t
            ? t
            : throw new ZtConfigurationException($"{LedgerCommand.TokenVariable} is not set; set it to the ledger server's bearer token");
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var deposit = await http.PostAsJsonAsync("/v1/billing/deposit", new { user = account, currency, amount = cents, notes = notes ?? "zt ledger deposit" }, cancellationToken);
        var created = await ReadAsync(deposit, cancellationToken);
        using var balance = await http.GetAsync($"/v1/billing/balance?user={Uri.EscapeDataString(account)}&currency={Uri.EscapeDataString(currency)}", cancellationToken);
        var current = await ReadAsync(balance, cancellationToken);
        return (created.GetProperty("transactionId").GetString() ?? "", current.GetProperty("balance").GetInt64());
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            string detail = body;
            try
            {
                var problem = JsonDocument.Parse(body).RootElement;
                detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? body : problem.TryGetProperty("title", out var title) ? title.GetString() ?? body : body;
            }
            catch (JsonException)
            {
            }

            throw new ZtBillingException($"the ledger refused ({(int)response.StatusCode}): {detail}", (int)response.StatusCode, null, detail);
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
