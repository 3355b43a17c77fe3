using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Billing enforced by the fabric, every part its own process: the controller checks the balance of the account it
/// holds for the dialing identity, the router meters what it relays into its durable outbox and delivers it to the
/// ledger, and nothing the client says about billing is believed. <c>zt dial</c> has no billing wiring at all.
/// </summary>
public sealed partial class FabricBillingTests(BilledFabricFixture fixture) : IClassFixture<BilledFabricFixture>
{
    private const string Delivered = "delivered to the billing provider";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private ProcessFabric Fabric => fixture.Fabric;

    [Fact]
    public async Task Zt_dial_is_refused_for_balance_naming_the_account_and_admitted_after_a_deposit()
    {
        string account = "refusal/" + Unique();
        var setup = await Fabric.CreateServiceAsync("refusal");
        await Fabric.Admin.SetBillingAccountAsync(setup.ClientId, account);
        await using var host = await Fabric.StartEchoHostAsync(setup);

        var refused = await DialEchoAsync(setup, "hello"u8.ToArray());
        refused.Exit.ShouldNotBe(0, refused.Transcript);
        refused.Transcript.ShouldContain("balance");
        refused.Transcript.ShouldContain(account);

        await fixture.DepositAsync(account, 1_000_000);
        var input = RandomNumberGenerator.GetBytes(10_000);
        var admitted = await DialEchoAsync(setup, input);
        admitted.Exit.ShouldBe(0, admitted.Transcript);
        admitted.Output.ShouldBe(input);
    }

    [Fact]
    public async Task Bytes_echoed_through_the_router_are_charged_to_the_dialers_account_exactly_once_across_a_router_kill_and_restart()
    {
        string account = "metered/" + Unique();
        var setup = await Fabric.CreateServiceAsync("metered");
        await Fabric.Admin.SetBillingAccountAsync(setup.ClientId, account);
        await fixture.DepositAsync(account, 1_000_000);

        // First the router cannot reach the ledger: the usage can only wait in its outbox.
        Fabric.Settings.RouterEnvironment["COMMERCE_URL"] = $"http://127.0.0.1:{FabricFixture.FreePort()}";
        await Fabric.RestartRouterAsync();
        var input = RandomNumberGenerator.GetBytes(3_000);
        await using (await Fabric.StartEchoHostAsync(setup))
        {
            var echoed = await DialEchoAsync(setup, input);
            echoed.Exit.ShouldBe(0, echoed.Transcript);
        }

        var first = Metered.Parse(await Fabric.Router.WaitForLineAsync($"for billing account '{account}'"));
        first.Sent.ShouldBeGreaterThanOrEqualTo(input.Length);
        first.Received.ShouldBeGreaterThanOrEqualTo(input.Length);
        (await fixture.UsageAsync(account)).ShouldBeEmpty();

        // A crash with the usage undelivered, then a start that reaches the ledger: delivered from the outbox.
        Fabric.Settings.RouterEnvironment["COMMERCE_URL"] = fixture.LedgerUrl.ToString();
        await Fabric.RestartRouterAsync();
        await Fabric.Router.WaitForLineAsync(Delivered);
        (await fixture.UsageAsync(account)).ShouldBe([first.Cents]);

        // Another crash and start, and a second circuit: only the new usage is added.
        await Fabric.RestartRouterAsync();
        await using (await Fabric.StartEchoHostAsync(setup))
        {
            var echoed = await DialEchoAsync(setup, input[..1_000]);
            echoed.Exit.ShouldBe(0, echoed.Transcript);
        }

        var second = Metered.Parse(await Fabric.Router.WaitForLineAsync($"for billing account '{account}'"));
        await Fabric.Router.WaitForLineAsync(Delivered);
        (await fixture.UsageAsync(account)).Order().ShouldBe(new[] { first.Cents, second.Cents }.Order());
        (await fixture.BalanceAsync(account)).ShouldBe(1_000_000 - first.Cents - second.Cents);
    }

    [Fact]
    public async Task A_client_claiming_another_billing_account_is_checked_and_charged_as_its_own()
    {
        string own = "claimer/" + Unique();
        string other = "victim/" + Unique();
        var setup = await Fabric.CreateServiceAsync("claimer");
        await Fabric.Admin.SetBillingAccountAsync(setup.ClientId, own);
        await fixture.DepositAsync(other, 1_000_000);
        await using var host = await Fabric.StartEchoHostAsync(setup);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity, new ZtContextOptions { BillingAccount = other });

        var refused = await Should.ThrowAsync<ZtInsufficientBalanceException>(client.DialAsync(setup.Service).WaitAsync(Guard));
        refused.Account.ShouldBe(own);
        refused.AvailableCents.ShouldBe(0);

        await fixture.DepositAsync(own, 1_000_000);
        int delivered = Fabric.Router.Transcript.Split('\n').Count(l => l.Contains(Delivered, StringComparison.Ordinal));
        await using (var connection = await client.DialAsync(setup.Service).WaitAsync(Guard))
        {
            await Echo.RoundTripAsync(connection, "charged to the dialer's own account");
        }

        var metered = Metered.Parse(await Fabric.Router.WaitForLineAsync($"for billing account '{own}'"));
        await Fabric.Router.WaitForLineAsync(Delivered, delivered + 1);
        (await fixture.UsageAsync(own)).ShouldBe([metered.Cents]);
        (await fixture.UsageAsync(other)).ShouldBeEmpty();
        (await fixture.BalanceAsync(other)).ShouldBe(1_000_000);
    }

    [Fact]
    public async Task A_metering_token_is_refused_at_deposit_and_for_orgs_outside_its_scope()
    {
        using (var deposit = await fixture.Metering.PostAsJsonAsync("/v1/billing/deposit", new { user = "scoped/a", currency = "usd", amount = 100 }))
        {
            deposit.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using (var outside = await fixture.Metering.PostAsJsonAsync("/v1/billing/usage", new { user = "outside/a", currency = "usd", amount = 1, requestId = "r-" + Unique() }))
        {
            outside.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        // An in-scope user does not open another org's wallet through X-Org-Id.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/usage"))
        {
            request.Content = JsonContent.Create(new { user = "scoped/a", currency = "usd", amount = 1, requestId = "r-" + Unique() });
            request.Headers.Add("X-Org-Id", "outside");
            using var viaHeader = await fixture.Metering.SendAsync(request);
            viaHeader.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using (var balance = await fixture.Metering.GetAsync("/v1/billing/balance?user=outside%2Fa&currency=usd"))
        {
            balance.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        (await fixture.BalanceAsync("outside/a")).ShouldBe(0);

        // Within its scope the same token reads and charges.
        await fixture.DepositAsync("scoped/a", 500);
        using (var usage = await fixture.Metering.PostAsJsonAsync("/v1/billing/usage", new { user = "scoped/a", currency = "usd", amount = 100, requestId = "r-" + Unique() }))
        {
            usage.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await fixture.BalanceAsync("scoped/a")).ShouldBe(400);
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private Task<(int Exit, byte[] Output, string Transcript)> DialEchoAsync(ServiceSetup setup, byte[] input) => DialEchoAsync(Fabric, setup, input);

    /// <summary>Pipes <paramref name="input"/> through <c>zt dial</c> and collects what comes back.</summary>
    internal static async Task<(int Exit, byte[] Output, string Transcript)> DialEchoAsync(ProcessFabric fabric, ServiceSetup setup, byte[] input)
    {
        await using var dial = fabric.StartDial(setup);
        var output = new MemoryStream();
        var receiving = dial.StandardOutput.CopyToAsync(output);
        try
        {
            await dial.StandardInput.WriteAsync(input);
            dial.StandardInput.Close();
        }
        catch (IOException)
        {
            // The dial was refused and the process is gone.
        }

        int exit = await dial.WaitForExitAsync();
        await receiving.WaitAsync(Guard);
        return (exit, output.ToArray(), dial.Transcript);
    }

    /// <summary>A router's "metered circuit" line: the bytes it counted, priced at the fixture's rates (1 cent per byte sent, 2 per byte received).</summary>
    private sealed partial record Metered(long Sent, long Received)
    {
        public long Cents => Sent + 2 * Received;

        public static Metered Parse(string line)
        {
            var match = Pattern().Match(line);
            match.Success.ShouldBeTrue(line);
            return new Metered(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        [GeneratedRegex(@"sent=(\d+) received=(\d+)")]
        private static partial Regex Pattern();
    }
}
