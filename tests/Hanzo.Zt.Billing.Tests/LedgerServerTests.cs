using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Billing.Ledger;

namespace Hanzo.Zt.Billing.Tests;

public class LedgerServerTests : IAsyncLifetime
{
    private LedgerServerHarness _ledger = null!;

    public async Task InitializeAsync() => _ledger = await LedgerServerHarness.StartAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Requests_without_the_service_token_get_401_problem(string? token)
    {
        using var client = LedgerServerHarness.NewClient(_ledger.Server.Address, token);

        using var response = await client.GetAsync("/v1/billing/balance?user=hanzo/alice");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await ShouldBeProblemAsync(response, 401);
    }

    [Fact]
    public async Task Deposit_is_reflected_in_the_balance()
    {
        using var deposit = await _ledger.DepositAsync("hanzo/alice", 1_000);

        deposit.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await LedgerServerHarness.ReadJsonAsync(deposit);
        body.GetProperty("transactionId").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("user").GetString().ShouldBe("hanzo/alice");
        body.GetProperty("amount").GetInt64().ShouldBe(1_000);
        body.GetProperty("currency").GetString().ShouldBe("usd");
        body.GetProperty("type").GetString().ShouldBe("deposit");

        using var balance = await _ledger.Client.GetAsync("/v1/billing/balance?user=hanzo/alice&currency=usd");
        balance.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await LedgerServerHarness.ReadJsonAsync(balance);
        json.GetProperty("user").GetString().ShouldBe("hanzo/alice");
        json.GetProperty("currency").GetString().ShouldBe("usd");
        json.GetProperty("balance").GetInt64().ShouldBe(1_000);
        json.GetProperty("holds").GetInt64().ShouldBe(0);
        json.GetProperty("available").GetInt64().ShouldBe(1_000);
    }

    [Fact]
    public async Task Balance_without_user_answers_for_the_org_header()
    {
        (await _ledger.DepositAsync("acme/bob", 300)).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/billing/balance?currency=usd");
        request.Headers.Add("X-Org-Id", "acme");

        using var response = await _ledger.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await LedgerServerHarness.ReadJsonAsync(response);
        json.GetProperty("user").GetString().ShouldBe("acme");
        json.GetProperty("available").GetInt64().ShouldBe(300);
    }

    [Fact]
    public async Task Usage_debits_the_org_wallet_and_is_attributed_to_the_user()
    {
        (await _ledger.DepositAsync("hanzo/alice", 1_000)).Dispose();

        using var usage = await _ledger.PostUsageAsync("hanzo/bob", 250, "req-1");

        usage.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await LedgerServerHarness.ReadJsonAsync(usage);
        body.GetProperty("type").GetString().ShouldBe("usage");
        body.GetProperty("amount").GetInt64().ShouldBe(250);
        body.GetProperty("user").GetString().ShouldBe("hanzo/bob");
        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(750);
        (await _ledger.BalanceAsync("hanzo/bob")).ShouldBe(750);

        var list = await _ledger.Client.GetFromJsonAsync<JsonElement>("/v1/billing/usage?user=hanzo/bob&currency=usd");
        list.GetProperty("user").GetString().ShouldBe("hanzo/bob");
        list.GetProperty("count").GetInt32().ShouldBe(1);
        var item = list.GetProperty("usage")[0];
        item.GetProperty("transactionId").GetString().ShouldBe(body.GetProperty("transactionId").GetString());
        item.GetProperty("amount").GetInt64().ShouldBe(250);
        item.GetProperty("currency").GetString().ShouldBe("usd");
        item.GetProperty("notes").GetString().ShouldBe("zt/echo");
        item.TryGetProperty("createdAt", out _).ShouldBeTrue();

        var alice = await _ledger.Client.GetFromJsonAsync<JsonElement>("/v1/billing/usage?user=hanzo/alice&currency=usd");
        alice.GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Replaying_an_idempotency_key_returns_200_with_the_same_transaction_and_does_not_debit_again()
    {
        (await _ledger.DepositAsync("hanzo/alice", 1_000)).Dispose();
        using var first = await _ledger.PostUsageAsync("hanzo/alice", 100, "req-replay");
        var firstBody = await first.Content.ReadAsStringAsync();

        using var replay = await _ledger.PostUsageAsync("hanzo/alice", 100, "req-replay");

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadAsStringAsync()).ShouldBe(firstBody);
        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(900);
    }

    [Fact]
    public async Task Idempotency_key_header_is_used_when_the_body_has_no_request_id()
    {
        (await _ledger.DepositAsync("hanzo/alice", 1_000)).Dispose();
        async Task<HttpStatusCode> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/usage")
            {
                Content = JsonContent.Create(new { user = "hanzo/alice", currency = "usd", amount = 40 }),
            };
            request.Headers.Add("X-Idempotency-Key", "header-key");
            using var response = await _ledger.Client.SendAsync(request);
            return response.StatusCode;
        }

        (await PostAsync()).ShouldBe(HttpStatusCode.Created);
        (await PostAsync()).ShouldBe(HttpStatusCode.OK);
        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(960);
    }

    [Fact]
    public async Task Fifty_concurrent_usage_posts_with_distinct_keys_debit_exactly_their_sum()
    {
        (await _ledger.DepositAsync("hanzo/alice", 100_000)).Dispose();

        var responses = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => _ledger.PostUsageAsync("hanzo/alice", i, $"req-{i}")));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in responses) r.Dispose();
        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(100_000 - (50 * 51 / 2));
    }

    [Fact]
    public async Task Twenty_concurrent_posts_of_the_same_key_debit_once()
    {
        (await _ledger.DepositAsync("hanzo/alice", 1_000)).Dispose();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _ledger.PostUsageAsync("hanzo/alice", 70, "same-key")));

        // Each duplicate is either replayed (200) or, while the first is still being recorded, refused with 409.
        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict).ShouldBe(19);
        var answered = responses.Where(r => r.StatusCode != HttpStatusCode.Conflict);
        var ids = await Task.WhenAll(answered.Select(async r => (await LedgerServerHarness.ReadJsonAsync(r)).GetProperty("transactionId").GetString()));
        ids.Distinct().Count().ShouldBe(1);
        foreach (var r in responses) r.Dispose();
        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(930);
    }

    [Theory]
    [InlineData("/v1/billing/usage", "{not json")]
    [InlineData("/v1/billing/usage", """{"user":"hanzo/alice","amount":-5,"requestId":"neg"}""")]
    [InlineData("/v1/billing/usage", """{"user":"hanzo/alice","amount":0,"requestId":"zero"}""")]
    [InlineData("/v1/billing/usage", """{"user":"hanzo/alice","amount":1.5,"requestId":"frac"}""")]
    [InlineData("/v1/billing/usage", """{"user":"hanzo/alice","amount":"10","requestId":"str"}""")]
    [InlineData("/v1/billing/usage", """{"user":"hanzo/alice","amount":10}""")]
    [InlineData("/v1/billing/deposit", """{"amount":10}""")]
    [InlineData("/v1/billing/deposit", """{"user":"hanzo/alice","amount":-1}""")]
    [InlineData("/v1/billing/deposit", """[1,2]""")]
    [InlineData("/v1/billing/deposit", "")]
    public async Task Bad_input_gets_400_problem(string path, string json)
    {
        using var response = await _ledger.PostRawAsync(path, json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await ShouldBeProblemAsync(response, 400);
    }

    [Fact]
    public async Task Bodies_over_64_KiB_are_refused_without_a_500()
    {
        var notes = new string('x', 70 * 1024);

        using var response = await _ledger.Client.PostAsJsonAsync("/v1/billing/deposit", new { user = "hanzo/alice", amount = 1, notes });

        ((int)response.StatusCode).ShouldBe(413);
        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(0);
    }

    [Fact]
    public async Task Balances_survive_a_restart_on_the_same_data_directory()
    {
        (await _ledger.DepositAsync("hanzo/alice", 500)).Dispose();
        (await _ledger.PostUsageAsync("hanzo/alice", 120, "before-restart")).Dispose();

        await _ledger.RestartAsync();

        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(380);
        using var replay = await _ledger.PostUsageAsync("hanzo/alice", 120, "before-restart");
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _ledger.BalanceAsync("hanzo/alice")).ShouldBe(380);
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, int status)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await LedgerServerHarness.ReadJsonAsync(response);
        problem.GetProperty("type").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
    }
}
