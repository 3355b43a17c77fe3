using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Hanzo.Zt.Edge.Protocol;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.IntegrationTests;

// What the router bills beyond bytes: the calls the host reports, and the usage of circuits it dies holding.
public sealed partial class FabricBillingTests
{
    [Fact]
    public async Task Zap_calls_served_by_the_host_are_charged_to_the_dialers_account_once()
    {
        const int Calls = 7;
        string account = "zapcalls/" + Unique();
        var setup = await Fabric.CreateServiceAsync(fixture.PerCallService(0), exactName: true);
        await Fabric.Admin.SetBillingAccountAsync(setup.ClientId, account);
        await fixture.DepositAsync(account, 1_000_000);
        int delivered = DeliveredLines();
        var server = Fabric.StartGreeter(Greeter("server", setup.Service, setup.HostIdentity));
        await server.WaitForLineAsync("Serving IGreeter");

        // Neither end has SDK billing; the dialer vanishes without closing, so only the host's reports can count.
        var client = Fabric.StartGreeter(Greeter("client", setup.Service, setup.ClientIdentity, ("Calls", $"{Calls}")));
        await client.WaitForLineAsync($"done {Calls}");
        await client.KillAsync();

        var metered = await Fabric.Router.WaitForLineAsync(l => l.Contains("metered circuit", StringComparison.Ordinal) && l.Contains($"'{account}'", StringComparison.Ordinal), $"the metered circuit of '{account}'");
        metered.ShouldContain($"calls={Calls} ");
        (await ChargedAsync(account, Calls, delivered)).ShouldBe(Calls);
    }

    [Fact]
    public async Task Calls_are_billed_from_the_hosts_report_and_the_dialers_report_is_ignored()
    {
        string account = "reported/" + Unique();
        var setup = await Fabric.CreateServiceAsync(fixture.PerCallService(1), exactName: true);
        await Fabric.Admin.SetBillingAccountAsync(setup.ClientId, account);
        await fixture.DepositAsync(account, 1_000_000);
        int delivered = DeliveredLines();
        await using var host = await RawEdge.BindAsync(Fabric, setup);
        string token = await RawEdge.SessionTokenAsync(Fabric.ControllerUrl, setup.ClientIdentity, setup.Service, "Dial");
        await using var dialer = await RawEdge.ConnectAsync(Fabric.RouterUrl, IdentityFile.Load(setup.ClientIdentity));
        dialer.Link.Send(EdgeFrameKind.Dial, 1, token: token);
        var connect = await host.NextAsync(EdgeFrameKind.Connect);
        host.Link.Send(EdgeFrameKind.Dialed, connect.Circuit);
        (await dialer.NextAsync(EdgeFrameKind.Dialed, EdgeFrameKind.Fault)).Kind.ShouldBe(EdgeFrameKind.Dialed);

        // The payer claims a thousand calls, then none; the host reports three, then a stale two.
        dialer.Link.Send(EdgeFrameKind.Usage, 1, 1_000);
        host.Link.Send(EdgeFrameKind.Usage, connect.Circuit, 3);
        host.Link.Send(EdgeFrameKind.Usage, connect.Circuit, 2);
        dialer.Link.Send(EdgeFrameKind.Usage, 1, 0);
        dialer.Link.Send(EdgeFrameKind.Close, 1);
        host.Link.Send(EdgeFrameKind.Close, connect.Circuit);

        var metered = await Fabric.Router.WaitForLineAsync(l => l.Contains("metered circuit", StringComparison.Ordinal) && l.Contains($"'{account}'", StringComparison.Ordinal), $"the metered circuit of '{account}'");
        metered.ShouldContain("calls=3 ");
        (await ChargedAsync(account, 3, delivered)).ShouldBe(3);
    }

    [Fact]
    public async Task Usage_of_a_circuit_open_when_the_router_is_killed_is_charged_once_from_its_checkpoint()
    {
        string account = "checkpoint/" + Unique();
        var setup = await Fabric.CreateServiceAsync("checkpoint");
        await Fabric.Admin.SetBillingAccountAsync(setup.ClientId, account);
        await fixture.DepositAsync(account, 1_000_000);

        // A router that checkpoints every second and cannot reach the ledger: a checkpoint can only wait in its outbox.
        string[] checkpoints = ["--usage-checkpoint-interval", "00:00:01"];
        Fabric.Settings.RouterArgs.AddRange(checkpoints);
        Fabric.Settings.RouterEnvironment["COMMERCE_URL"] = $"http://127.0.0.1:{FabricFixture.FreePort()}";
        try
        {
            await Fabric.RestartRouterAsync();
            var killed = Fabric.Router;
            await using var host = await Fabric.StartEchoHostAsync(setup);
            await using var dial = Fabric.StartDial(setup);
            var input = RandomNumberGenerator.GetBytes(5_000);
            await dial.StandardInput.WriteAsync(input);
            await dial.StandardInput.FlushAsync();
            var echoed = new byte[input.Length];
            await dial.StandardOutput.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);
            echoed.ShouldBe(input);

            // The circuit stays open; once a checkpoint holds every byte echoed, the router dies (SIGKILL).
            await killed.WaitForLineAsync(
                l => Checkpointed.TryParse(l, account) is { TotalSent: var s, TotalReceived: var r } && s >= input.Length && r >= input.Length,
                $"a checkpoint of '{account}' holding {input.Length} bytes each way");
            Fabric.Settings.RouterEnvironment["COMMERCE_URL"] = fixture.LedgerUrl.ToString();
            await Fabric.RestartRouterAsync();

            var written = killed.Transcript.Split('\n').Select(l => Checkpointed.TryParse(l, account)).OfType<Checkpointed>().ToList();
            long cents = written.Sum(c => c.Sent + 2 * c.Received);
            written[^1].TotalSent.ShouldBeGreaterThanOrEqualTo(input.Length);
            cents.ShouldBe(written[^1].TotalSent + 2 * written[^1].TotalReceived);
            killed.Transcript.ShouldNotContain($"metered circuit of session {written[^1].Session}");
            (await ChargedAsync(account, cents, delivered: 0)).ShouldBe(cents);
        }
        finally
        {
            Fabric.Settings.RouterArgs.RemoveAll(checkpoints.Contains);
            Fabric.Settings.RouterEnvironment["COMMERCE_URL"] = fixture.LedgerUrl.ToString();
            await Fabric.RestartRouterAsync();
        }
    }

    private int DeliveredLines() => Fabric.Router.Transcript.Split('\n').Count(l => l.Contains(Delivered, StringComparison.Ordinal));

    /// <summary>
    /// What the ledger has charged <paramref name="account"/> once the router delivered enough to reach
    /// <paramref name="expected"/> cents (checked after each of its deliveries from the <paramref name="delivered"/>-th on).
    /// </summary>
    private async Task<long> ChargedAsync(string account, long expected, int delivered)
    {
        for (int seen = delivered; ; seen++)
        {
            long charged = (await fixture.UsageAsync(account)).Sum();
            if (charged >= expected)
            {
                return charged;
            }

            await Fabric.Router.WaitForLineAsync(Delivered, seen + 1);
        }
    }

    private static Dictionary<string, string> Greeter(string role, string service, string identityFile, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Role"] = role,
            ["Service"] = service,
            ["IntervalMs"] = "1",
            ["HanzoZt__IdentityFile"] = identityFile,
            ["HanzoZt__Billing__Enabled"] = "false",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A router's checkpoint line: its own share of the circuit, and the circuit's totals so far.</summary>
    private sealed partial record Checkpointed(string Session, long Sent, long Received, long TotalSent, long TotalReceived)
    {
        public static Checkpointed? TryParse(string line, string account)
        {
            var match = Pattern().Match(line);
            if (!match.Success || match.Groups["account"].Value != account)
            {
                return null;
            }

            long Number(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
            return new Checkpointed(match.Groups["session"].Value, Number("sent"), Number("received"), Number("totalSent"), Number("totalReceived"));
        }

        [GeneratedRegex(@"checkpoint \d+ of open circuit \w+ of session (?<session>\S+) for billing account '(?<account>[^']+)'.*?: sent=(?<sent>\d+) received=(?<received>\d+) .*circuit so far: sent=(?<totalSent>\d+) received=(?<totalReceived>\d+)")]
        private static partial Regex Pattern();
    }
}
